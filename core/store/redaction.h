#pragma once

#include "model/batch.h"

#include <QRegularExpression>
#include <QStringList>

#include <string>
#include <unordered_map>
#include <vector>

namespace Sextant {

// What a saved copy hides. A key pattern is a glob (`*password*`, `http.request.header.*`, `?` = one character) or
// a regular expression written between slashes (`/^db\.(user|password)$/`); both ignore case and match the whole
// key (a regex matches when it is found anywhere in the key, as grep does: anchor it to match whole keys).
struct RedactionRules
{
    QStringList keyPatterns;
    bool logBodies = false; // replace every non-empty log body as well

    bool isEmpty() const { return keyPatterns.isEmpty() && !logBodies; }
};

// Applies RedactionRules to batches: the value of every attribute whose key matches becomes the string
// "[REDACTED]" (the key stays, so a reader sees that something was there). Covers span, event, link, resource,
// scope, log, metric metadata, point and exemplar attributes, and keys inside nested kvlists (also inside arrays
// and kvlist log bodies). Not thread-safe: it caches the verdict per key (keys repeat millions of times).
class Redactor
{
public:
    static constexpr std::string_view Replacement = "[REDACTED]";

    // Checks the patterns; an invalid regex or an empty pattern makes the rules invalid (*error says which).
    static bool validate(const RedactionRules &rules, QString *error);
    explicit Redactor(const RedactionRules &rules); // invalid patterns are ignored (validate() first)

    bool isActive() const { return !m_globs.empty() || !m_regexes.empty() || m_logBodies; }
    bool matches(std::string_view key);
    // Redacts in place; returns how many values were replaced.
    int64_t redact(Batch &batch);

private:
    int64_t redact(Attributes &attributes);
    int64_t redact(AnyValue &value); // keys inside kvlists (and arrays of them)
    bool computeMatch(std::string_view key) const;

    std::vector<std::string> m_globs; // lower-cased
    std::vector<QRegularExpression> m_regexes;
    bool m_logBodies = false;
    std::unordered_map<std::string, bool> m_verdicts;
};

// Glob match with `*` and `?`, ASCII case-insensitive; pattern must already be lower case.
bool globMatch(std::string_view lowerPattern, std::string_view text);

} // namespace Sextant
