#pragma once

#include "readresult.h"

#include <QString>

#include <string_view>

namespace Sextant {

// Reads Zipkin v2 JSON (an array of spans or a single span object) and Zipkin v1 JSON (spans with
// "binaryAnnotations" and endpoints inside annotations; the cs/sr/cr/ss core annotations and the "lc" binary
// annotation decide kind and service). localEndpoint.serviceName becomes the resource's service.name; the remote
// endpoint becomes peer.service, network.peer.address and network.peer.port; annotations become events, tags
// string attributes; an "error" tag (even empty) or otel.status_code=ERROR gives an error status.
// A shared server half that reuses its client's span id is kept as its own span: it gets a derived span id, the
// client span as parent, Quality::SharedSpan and the original id in attribute zipkin.original_span_id.
// A span-array file of 32 MiB or more is streamed span by span (bounded memory; ids already seen are remembered
// so a shared half far from its client is still re-keyed).
ReadResult readZipkinJsonFile(const QString &path, const ReadOptions &options);
ReadResult readZipkinJson(std::string_view data, const QString &sourceName, const ReadOptions &options);

} // namespace Sextant
