#pragma once

#include "storetypes.h"

#include <QMetaType>
#include <QString>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace Sextant {

// One attribute condition of a trace search: "some span of the trace has key <op> value".
//  - Eq / Ne with a text compare the value's text (ints as decimal, bools as true/false, strings as they are);
//  - Gt, Ge, Lt, Le (and Ne with a number) compare int and double attributes numerically.
struct AttributeFilter
{
    enum class Op : uint8_t { Eq, Ne, Gt, Ge, Lt, Le };
    std::string key;
    Op op = Op::Eq;
    std::string text; // the right-hand side as written (unquoted)
    std::optional<double> number; // set when the right-hand side parses as a number

    bool operator==(const AttributeFilter &) const = default;
};

// What the trace search page asks for. Every criterion is optional; they combine with AND.
struct TraceQuery
{
    enum class Status : uint8_t { Any, ErrorsOnly, OkOnly };
    enum class Sort : uint8_t { Newest, Oldest, Longest, Shortest, MostSpans };
    // Which spans the duration and status criteria look at: the whole trace (its duration, its error count), or
    // the spans that match service/operation (the slowest of them within [min, max]; one of them an error).
    enum class Scope : uint8_t { Trace, MatchingSpans };

    QString service; // some span of the trace belongs to this service
    QString operation; // some span has this name (of `service` when set)
    uint64_t minDurationNano = 0; // 0 = open
    uint64_t maxDurationNano = 0; // 0 = open
    Status status = Status::Any;
    Scope scope = Scope::Trace;
    uint64_t fromUnixNano = 0; // the trace starts in [from, to]; 0 = open
    uint64_t toUnixNano = 0;
    std::vector<AttributeFilter> attributes;
    QString text; // case-insensitive substring of a service, a span name or the root name
    int limit = 500;
    Sort sort = Sort::Newest;

    bool operator==(const TraceQuery &) const = default;

    // Parses `key=value key>10 "key with space"!=x`: whitespace-separated conditions, operators = != > >= < <=,
    // double quotes around keys or values with spaces. Returns nullopt and sets *error on a bad expression.
    static std::optional<std::vector<AttributeFilter>> parseAttributes(const QString &expression, QString *error);
};

struct TraceSearchResult
{
    std::vector<TraceSummary> traces; // in the order asked for, at most limit
    bool truncated = false; // more traces matched than limit
    QString error; // the search could not run (SQLite error); traces is empty
    QString note; // e.g. a condition that needed the slow path because its value is not indexed
    double milliseconds = 0;
};

} // namespace Sextant

Q_DECLARE_METATYPE(Sextant::TraceQuery)
