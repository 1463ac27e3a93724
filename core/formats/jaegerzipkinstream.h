#pragma once

// Streaming for big Jaeger and Zipkin files: the elements of the top-level span array (Zipkin) or of the "data"
// trace array (Jaeger query API / UI download) are found with JsonDocSplitter in a bounded read buffer and parsed
// one by one, so neither the whole file nor its simdjson tree is ever in memory. Private to core/formats.

#include "jaegerzipkinsupport.h"

#include <functional>

namespace Sextant::JaegerZipkin {

// Files at least this big are streamed (smaller ones are read whole, which gives the same records); tests lower it.
qint64 &streamingThreshold();

enum class StreamRoot { Array, DataMember }; // "[...]" or {"data":[...] ...}

// Called for each element with its path ("[i]" or "data[i]"); returns false to stop (cancel).
using ElementSink = std::function<bool(Element element, const Path &path)>;

// Streams the elements of path's root array. Returns false, having reported nothing, when the file cannot be
// opened or does not start with the root's opening (the caller then reads the file whole). Elements that are not
// valid JSON get an error and are skipped; text that is not a sequence of elements ends the read with an error.
bool streamArrayFile(const QString &path, StreamRoot root, Context &ctx, const ElementSink &sink);

} // namespace Sextant::JaegerZipkin
