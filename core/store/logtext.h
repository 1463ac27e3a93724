#pragma once

#include "model/anyvalue.h"

#include <string>

struct sqlite3;

namespace Sextant::LogText {

// The text the full-text index (logs_fts, schema v4) holds for a log: the body as shown (structured bodies in
// their one-line rendering) and the attributes as `key=value` tokens separated by spaces. Appends to out.
void renderBody(const AnyValue &body, std::string &out);
void renderAttributes(const Attributes &attributes, std::string &out);

// Fills logs_fts from the logs already stored (migration step 4 on a file written before it existed).
void backfill(sqlite3 *db);

} // namespace Sextant::LogText
