#pragma once

#include "attributecodec.h"
#include "model/metric.h"

#include <string>

namespace Sextant {

// Blob codecs for metric points. The writer stores a point's time, start, flags, quality and its gauge/sum value
// in columns; everything else that differs from the default (histogram and summary fields, the value field the
// point does not use, a NaN value) goes into `data` as tagged fields, so any MetricPoint comes back exactly.
namespace PointCodec {

// The `value` column: INTEGER for int points, REAL for double points. NaN cannot be bound as REAL (SQLite turns it
// into NULL), so such points have a NULL value and keep the bits in `data`.
bool valueFitsColumn(const MetricPoint &point);
// Appends the tagged fields; out stays empty when the columns hold everything.
void encodeData(const MetricPoint &point, std::string &out);
bool decodeData(std::string_view blob, MetricPoint &point, std::string *error = nullptr);

void encodeExemplars(const std::vector<Exemplar> &exemplars, StringInterner *interner, std::string &out);
bool decodeExemplars(
    std::string_view blob, StringResolver *resolver, std::vector<Exemplar> &out, std::string *error = nullptr);

} // namespace PointCodec

} // namespace Sextant
