#include "peerkeyscan.h"

#include <algorithm>
#include <array>
#include <iterator>

namespace Sextant {

namespace {

// The tags of attributecodec.h; the scan below must skip values exactly as the decoder reads them.
using namespace AttributeCodec;
constexpr int MaxDepth = 64;

// The keys ServiceGraph::peerOf reads; PeerKeys below refers to them by index.
constexpr std::array<std::string_view, 9> PeerKeyNames = { "peer.service", "db.namespace", "db.name", "server.address",
    "net.peer.name", "db.system", "messaging.destination.name", "messaging.destination", "messaging.system" };

bool isPeerKey(std::string_view key)
{
    // Every key above starts with 'p', 'd', 's', 'n' or 'm' and is 7..26 bytes: most keys fail the cheap test.
    if (key.size() < 7 || key.size() > 26)
        return false;
    return std::find(PeerKeyNames.begin(), PeerKeyNames.end(), key) != PeerKeyNames.end();
}

int peerKeySlot(std::string_view key)
{
    if (key.size() < 7 || key.size() > 26)
        return -1;
    const auto it = std::find(PeerKeyNames.begin(), PeerKeyNames.end(), key);
    return it == PeerKeyNames.end() ? -1 : int(it - PeerKeyNames.begin());
}

// Per interned string id: 0 = not looked at yet, 1 + slot for a peer key, 0xff for another key. Keys are nearly
// always interned, so a pass resolves and compares each distinct key once instead of once per attribute.
using KeyKinds = std::vector<uint8_t>;

class Scanner
{
public:
    Scanner(std::string_view blob, StringResolver *strings, KeyKinds *keyKinds = nullptr)
        : m_in(blob)
        , m_strings(strings)
        , m_keyKinds(keyKinds)
    { }

    bool attributes(Attributes *out, int depth)
    {
        uint64_t count;
        if (!m_in.varint(count) || count > m_in.remaining())
            return false;
        for (uint64_t i = 0; i < count; ++i) {
            std::string_view key;
            if (!string(key))
                return false;
            if (out && isPeerKey(key)) {
                KeyValue kv;
                kv.key = std::string(key);
                if (!value(&kv.value, depth))
                    return false;
                out->push_back(std::move(kv));
            } else if (!value(nullptr, depth)) {
                return false;
            }
        }
        return true;
    }

    // The attributes as PeerKeys (needs the key cache).
    bool peerKeys(PeerKeys &out, int depth)
    {
        uint64_t count;
        if (!m_in.varint(count) || count > m_in.remaining())
            return false;
        for (uint64_t i = 0; i < count; ++i) {
            uint64_t ref;
            if (!m_in.varint(ref))
                return false;
            int slot;
            if (ref & 1) {
                std::string_view key;
                if (!m_in.bytes(size_t(ref >> 1), key))
                    return false;
                slot = peerKeySlot(key);
            } else {
                slot = keySlot(uint32_t(ref >> 1));
            }
            if (slot < 0) {
                if (!value(nullptr, depth))
                    return false;
                continue;
            }
            out.present[size_t(slot)] = true;
            std::string_view text;
            if (!value(nullptr, depth, &text))
                return false;
            // used before the next string lookup, which may reload the strings table
            if (!text.empty() && !out.hasValue[size_t(slot)]) {
                out.values[size_t(slot)].assign(text);
                out.hasValue[size_t(slot)] = true;
            }
        }
        return true;
    }

private:
    // The slot of an interned key (-1: not a peer key); its text is looked up once per pass.
    int keySlot(uint32_t id)
    {
        if (id >= m_keyKinds->size())
            m_keyKinds->resize(size_t(id) + 1, 0);
        uint8_t &kind = (*m_keyKinds)[id];
        if (kind == 0) {
            const std::string *text = m_strings ? m_strings->text(id) : nullptr;
            const int slot = text ? peerKeySlot(*text) : -1;
            kind = slot < 0 ? 0xff : uint8_t(slot + 1);
        }
        return kind == 0xff ? -1 : int(kind) - 1;
    }

    // A strref; an unknown id reads as an empty string (as good as absent for peerOf).
    bool string(std::string_view &out)
    {
        uint64_t ref;
        if (!m_in.varint(ref))
            return false;
        if (ref & 1)
            return m_in.bytes(size_t(ref >> 1), out);
        const std::string *text = m_strings ? m_strings->text(uint32_t(ref >> 1)) : nullptr;
        out = text ? std::string_view(*text) : std::string_view();
        return true;
    }

    // Reads one value; keeps it in *out when out is given and it is a string (other types stay Empty).
    bool value(AnyValue *out, int depth, std::string_view *text = nullptr)
    {
        uint8_t tag;
        uint64_t n;
        std::string_view bytes;
        if (depth > MaxDepth || !m_in.byte(tag))
            return false;
        switch (tag) {
        case TagEmpty:
        case TagFalse:
        case TagTrue:
            return true;
        case TagStringId:
            if (!m_in.varint(n))
                return false;
            if (out || text) {
                const std::string *known = m_strings ? m_strings->text(uint32_t(n)) : nullptr;
                if (out)
                    *out = AnyValue::fromString(known ? *known : std::string());
                if (text && known)
                    *text = *known;
            }
            return true;
        case TagStringInline:
            if (!m_in.varint(n) || !m_in.bytes(size_t(n), bytes))
                return false;
            if (out)
                *out = AnyValue::fromString(std::string(bytes));
            if (text)
                *text = bytes;
            return true;
        case TagBytes:
            return m_in.varint(n) && m_in.bytes(size_t(n), bytes);
        case TagInt:
            return m_in.varint(n);
        case TagDouble:
            return m_in.fixed64(n);
        case TagArray:
            if (!m_in.varint(n) || n > m_in.remaining())
                return false;
            for (uint64_t i = 0; i < n; ++i)
                if (!value(nullptr, depth + 1))
                    return false;
            return true;
        case TagKvList:
            return attributes(nullptr, depth + 1);
        default:
            return false;
        }
    }

    BlobReader m_in;
    StringResolver *m_strings;
    KeyKinds *m_keyKinds;
};

} // namespace

bool scanPeerAttributes(std::string_view blob, StringResolver *strings, Attributes &out)
{
    if (blob.empty())
        return true;
    return Scanner(blob, strings).attributes(&out, 0);
}

std::string_view PeerKeys::firstOf(const Slot *slots, size_t count) const
{
    for (size_t i = 0; i < count; ++i)
        if (hasValue[slots[i]])
            return values[slots[i]];
    return {};
}

ServiceGraph::Node PeerKeys::peerOf(SpanKind kind) const
{
    using ServiceGraph::NodeKind;
    static constexpr Slot database[] = { PeerService, DbNamespace, DbName, ServerAddress, NetPeerName, DbSystem };
    static constexpr Slot queue[] = { DestinationName, Destination, MessagingSystem };
    static constexpr Slot external[] = { PeerService, ServerAddress, NetPeerName };
    static constexpr Slot caller[] = { PeerService };
    auto make = [](NodeKind k, std::string_view name) {
        return name.empty() ? ServiceGraph::Node {} : ServiceGraph::Node { k, std::string(name) };
    };
    switch (kind) {
    case SpanKind::Client:
        if (present[DbSystem])
            return make(NodeKind::Database, firstOf(database, std::size(database)));
        if (present[MessagingSystem])
            return make(NodeKind::Queue, firstOf(queue, std::size(queue)));
        return make(NodeKind::External, firstOf(external, std::size(external)));
    case SpanKind::Producer:
    case SpanKind::Consumer:
        if (present[MessagingSystem])
            return make(NodeKind::Queue, firstOf(queue, std::size(queue)));
        return make(NodeKind::Queue, firstOf(external, std::size(external)));
    case SpanKind::Server:
        return make(NodeKind::External, firstOf(caller, std::size(caller)));
    default:
        return {};
    }
}

PeerKeyScanner::PeerKeyScanner(StringResolver *strings)
    : m_strings(strings)
{ }

bool PeerKeyScanner::scan(std::string_view blob, PeerKeys &out)
{
    out.clear();
    return blob.empty() || Scanner(blob, m_strings, &m_keyKinds).peerKeys(out, 0);
}

} // namespace Sextant
