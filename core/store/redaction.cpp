#include "redaction.h"

namespace Sextant {

namespace {

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool isRegex(const QString &pattern)
{
    return pattern.size() >= 2 && pattern.startsWith(QLatin1Char('/')) && pattern.endsWith(QLatin1Char('/'));
}

QRegularExpression regexOf(const QString &pattern)
{
    return QRegularExpression(pattern.mid(1, pattern.size() - 2), QRegularExpression::CaseInsensitiveOption);
}

AnyValue replacement()
{
    return AnyValue::fromString(std::string(Redactor::Replacement));
}

} // namespace

bool globMatch(std::string_view p, std::string_view t)
{
    // Iterative matcher with one backtrack point (the last `*`): linear in practice, no recursion.
    size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
    while (ti < t.size()) {
        if (pi < p.size() && (p[pi] == '?' || p[pi] == lower(t[ti]))) {
            ++pi;
            ++ti;
        } else if (pi < p.size() && p[pi] == '*') {
            star = pi++;
            mark = ti;
        } else if (star != std::string_view::npos) {
            pi = star + 1;
            ti = ++mark;
        } else {
            return false;
        }
    }
    while (pi < p.size() && p[pi] == '*')
        ++pi;
    return pi == p.size();
}

bool Redactor::validate(const RedactionRules &rules, QString *error)
{
    for (const QString &pattern : rules.keyPatterns) {
        if (pattern.trimmed().isEmpty() || pattern == QLatin1String("//")) {
            *error = QStringLiteral("empty redaction pattern");
            return false;
        }
        if (isRegex(pattern)) {
            const QRegularExpression re = regexOf(pattern);
            if (!re.isValid()) {
                *error = QStringLiteral("invalid regular expression %1: %2").arg(pattern, re.errorString());
                return false;
            }
        }
    }
    return true;
}

Redactor::Redactor(const RedactionRules &rules)
    : m_logBodies(rules.logBodies)
{
    for (const QString &pattern : rules.keyPatterns) {
        if (pattern.trimmed().isEmpty())
            continue;
        if (isRegex(pattern)) {
            QRegularExpression re = regexOf(pattern);
            if (re.isValid() && !re.pattern().isEmpty()) {
                re.optimize();
                m_regexes.push_back(std::move(re));
            }
        } else {
            std::string glob = pattern.toUtf8().toStdString();
            for (char &c : glob)
                c = lower(c);
            m_globs.push_back(std::move(glob));
        }
    }
}

bool Redactor::computeMatch(std::string_view key) const
{
    for (const std::string &glob : m_globs)
        if (globMatch(glob, key))
            return true;
    if (m_regexes.empty())
        return false;
    const QString text = QString::fromUtf8(key.data(), qsizetype(key.size()));
    for (const QRegularExpression &re : m_regexes)
        if (re.match(text).hasMatch())
            return true;
    return false;
}

bool Redactor::matches(std::string_view key)
{
    if (m_globs.empty() && m_regexes.empty())
        return false;
    // Keys are few and repeat for every record; a cache turns the pattern work into one hash lookup.
    auto it = m_verdicts.find(std::string(key));
    if (it == m_verdicts.end())
        it = m_verdicts.emplace(std::string(key), computeMatch(key)).first;
    return it->second;
}

int64_t Redactor::redact(AnyValue &value)
{
    int64_t n = 0;
    if (value.type == AnyValue::Type::KvList)
        n += redact(value.kvlistValue);
    else if (value.type == AnyValue::Type::Array)
        for (AnyValue &element : value.arrayValue)
            n += redact(element);
    return n;
}

int64_t Redactor::redact(Attributes &attributes)
{
    int64_t n = 0;
    for (KeyValue &kv : attributes) {
        if (matches(kv.key)) {
            kv.value = replacement();
            ++n;
        } else {
            n += redact(kv.value);
        }
    }
    return n;
}

int64_t Redactor::redact(Batch &batch)
{
    if (!isActive())
        return 0;
    const bool keys = !m_globs.empty() || !m_regexes.empty();
    int64_t n = 0;
    if (keys) {
        for (Resource &r : batch.resources)
            n += redact(r.attributes);
        for (Scope &s : batch.scopes)
            n += redact(s.attributes);
        for (Span &span : batch.spans) {
            n += redact(span.attributes);
            for (SpanEvent &e : span.events)
                n += redact(e.attributes);
            for (SpanLink &l : span.links)
                n += redact(l.attributes);
        }
        for (Metric &m : batch.metrics) {
            n += redact(m.metadata);
            for (MetricPoint &p : m.points) {
                n += redact(p.attributes);
                for (Exemplar &e : p.exemplars)
                    n += redact(e.filteredAttributes);
            }
        }
    }
    for (LogRecord &log : batch.logs) {
        if (keys)
            n += redact(log.attributes);
        if (m_logBodies && !log.body.isEmpty()) {
            log.body = replacement();
            ++n;
        } else if (keys) {
            n += redact(log.body);
        }
    }
    return n;
}

} // namespace Sextant
