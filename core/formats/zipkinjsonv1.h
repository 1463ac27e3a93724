#pragma once

// Zipkin endpoints and the Zipkin v1 span shape, used by the Zipkin JSON reader. Private to core/formats.

#include "jaegerzipkinsupport.h"

#include <string>

namespace Sextant::JaegerZipkin {

struct ZipkinEndpoint
{
    std::string serviceName;
    std::string address; // ipv4, else ipv6
    int64_t port = 0;
    bool present = false;
};

ZipkinEndpoint readZipkinEndpoint(Context &ctx, Element e, const Path &path);
// remote: peer.service, network.peer.address/port; local: network.local.address/port (the service is the resource).
void addZipkinEndpointAttributes(Span &span, const ZipkinEndpoint &e, bool remote);
// A tag or binary annotation value as text (Zipkin tags are strings; v1 values may be numbers or booleans).
std::string zipkinValueText(Element e);

// Kind, service and remote endpoint of a v1 span (obj) from its core annotations and binary annotations; the
// other binary annotations become string attributes. Annotations were already turned into events.
void decodeZipkinV1(Context &ctx, Object obj, const Path &path, Span &span, std::string &service, bool &hasService);

} // namespace Sextant::JaegerZipkin
