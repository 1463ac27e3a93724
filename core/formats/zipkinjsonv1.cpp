#include "zipkinjsonv1.h"

namespace Sextant::JaegerZipkin {

std::string zipkinValueText(Element e)
{
    if (e.is_string())
        return std::string(stringOf(e));
    return simdjson::minify(e);
}

ZipkinEndpoint readZipkinEndpoint(Context &ctx, Element e, const Path &path)
{
    ZipkinEndpoint out;
    Object obj;
    if (!OtlpJson::asObject(ctx, e, path, obj))
        return out;
    out.present = true;
    std::string ipv6;
    for (auto field : obj) {
        if (field.key == "serviceName")
            out.serviceName = std::string(stringOf(field.value));
        else if (field.key == "ipv4")
            out.address = std::string(stringOf(field.value));
        else if (field.key == "ipv6")
            ipv6 = std::string(stringOf(field.value));
        else if (field.key == "port")
            out.port = OtlpJson::readInt64(ctx, field.value, path.field(field.key));
    }
    if (out.address.empty())
        out.address = std::move(ipv6);
    return out;
}

void addZipkinEndpointAttributes(Span &span, const ZipkinEndpoint &e, bool remote)
{
    if (remote && !e.serviceName.empty())
        span.attributes.push_back({ "peer.service", AnyValue::fromString(e.serviceName) });
    if (!e.address.empty())
        span.attributes.push_back(
            { remote ? "network.peer.address" : "network.local.address", AnyValue::fromString(e.address) });
    if (e.port)
        span.attributes.push_back({ remote ? "network.peer.port" : "network.local.port", AnyValue::fromInt(e.port) });
}

// Zipkin v1: the endpoints sit in the annotations. cs/cr make a client span of the cs endpoint's service, sr/ss
// a server span; a span with only an "lc" binary annotation is local to that annotation's service.
void decodeZipkinV1(Context &ctx, Object obj, const Path &path, Span &span, std::string &service, bool &hasService)
{
    ZipkinEndpoint clientEp, serverEp, localEp, remoteAddress;
    bool client = false, server = false, sawSa = false;
    for (auto field : obj) {
        const Path p = path.field(field.key);
        if (field.key == "annotations") {
            Array annotations;
            if (!field.value.get_array().get(annotations)) {
                int64_t i = 0;
                for (Element a : annotations) {
                    const Path ap = p.at(i++);
                    Element valueElement;
                    std::string_view value;
                    if (!a["value"].get(valueElement))
                        value = stringOf(valueElement);
                    Element ep;
                    const bool hasEp = !a["endpoint"].get(ep);
                    if (value == "cs" || value == "cr") {
                        client = true;
                        if (hasEp && !clientEp.present)
                            clientEp = readZipkinEndpoint(ctx, ep, ap.field("endpoint"));
                    } else if (value == "sr" || value == "ss") {
                        server = true;
                        if (hasEp && !serverEp.present)
                            serverEp = readZipkinEndpoint(ctx, ep, ap.field("endpoint"));
                    }
                }
            }
        } else if (field.key == "binaryAnnotations") {
            Array list;
            if (!OtlpJson::asArray(ctx, field.value, p, list))
                continue;
            int64_t i = 0;
            for (Element b : list) {
                const Path bp = p.at(i++);
                Object bo;
                if (!OtlpJson::asObject(ctx, b, bp, bo))
                    continue;
                std::string key, value;
                ZipkinEndpoint ep;
                for (auto bf : bo) {
                    if (bf.key == "key")
                        key = std::string(stringOf(bf.value));
                    else if (bf.key == "value")
                        value = zipkinValueText(bf.value);
                    else if (bf.key == "endpoint")
                        ep = readZipkinEndpoint(ctx, bf.value, bp.field(bf.key));
                }
                if (key == "lc") {
                    localEp = ep;
                    span.attributes.push_back({ "lc", AnyValue::fromString(value) });
                } else if (key == "sa" || key == "ca" || key == "ma") {
                    if (!remoteAddress.present || (key == "sa" && !sawSa))
                        remoteAddress = ep;
                    sawSa |= key == "sa";
                } else if (!key.empty()) {
                    span.attributes.push_back({ key, AnyValue::fromString(value) });
                }
            }
        }
    }
    ZipkinEndpoint local = localEp;
    ZipkinEndpoint remote = remoteAddress;
    if (client && !server) {
        span.kind = SpanKind::Client;
        local = clientEp;
    } else if (server && !client) {
        span.kind = SpanKind::Server;
        local = serverEp;
    } else if (client && server) { // a merged client+server span: the client owns it, the server is remote
        span.kind = SpanKind::Client;
        local = clientEp;
        if (serverEp.present)
            remote = serverEp;
    }
    if (!local.serviceName.empty()) {
        service = local.serviceName;
        hasService = true;
    } else {
        ctx.warning(
            path, QStringLiteral("Zipkin v1 span without a cs/sr/lc endpoint serviceName; its resource is empty"));
    }
    addZipkinEndpointAttributes(span, local, false);
    addZipkinEndpointAttributes(span, remote, true);
}

} // namespace Sextant::JaegerZipkin
