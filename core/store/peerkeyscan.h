#pragma once

#include "analysis/servicegraph.h"
#include "model/anyvalue.h"
#include "store/attributecodec.h"

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace Sextant {

// What ServiceGraph::peerOf sees of a span, without building its Attributes: per peer key whether it is present and
// its first non-empty string value. peerOf() is ServiceGraph::peerOf on these facts (a store pass asks for the peer
// of most client spans, so building an Attributes list per span was most of its own time).
struct PeerKeys
{
    enum Slot {
        PeerService,
        DbNamespace,
        DbName,
        ServerAddress,
        NetPeerName,
        DbSystem,
        DestinationName,
        Destination,
        MessagingSystem,
        SlotCount
    };
    std::array<bool, SlotCount> present {};
    std::array<bool, SlotCount> hasValue {};
    std::array<std::string, SlotCount> values; // kept between spans for their capacity

    void clear()
    {
        present.fill(false);
        hasValue.fill(false);
    }
    ServiceGraph::Node peerOf(SpanKind kind) const;

private:
    std::string_view firstOf(const Slot *slots, size_t count) const;
};

// Reads attributes blobs (attributecodec.h) into PeerKeys. Remembers which interned keys are peer keys, so each
// distinct key is resolved and compared once per scanner rather than once per attribute: keep one per pass.
class PeerKeyScanner
{
public:
    explicit PeerKeyScanner(StringResolver *strings);
    // false on a corrupt blob (out then holds what came before the damage)
    bool scan(std::string_view blob, PeerKeys &out);

private:
    StringResolver *m_strings;
    std::vector<uint8_t> m_keyKinds; // per string id: 0 = not seen, 1 + slot = a peer key, 0xff = another key
};

// Scans an attributes blob for the keys ServiceGraph::peerOf reads and appends them, string values resolved, other
// values as Empty (peerOf only tests their presence). Nested values are skipped unread. Returns false on a corrupt
// blob (out then holds what came before the damage).
bool scanPeerAttributes(std::string_view blob, StringResolver *strings, Attributes &out);

} // namespace Sextant
