#include "cliutil.h"

#include "paths.h"

#include <QDateTime>
#include <QLocale>
#include <QTimeZone>

#include <cstdio>

namespace Sextant::Cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

std::optional<int> parseOrExit(QCommandLineParser &parser, const QStringList &args, const QString &synopsis,
                               const QString &description)
{
    parser.setApplicationDescription(description);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")}, QStringLiteral("Show this help."));
    parser.addOption(help);
    if (!parser.parse(args)) {
        err() << "sextant: " << parser.errorText() << "\nUsage: " << synopsis
              << "\nRun 'sextant " << args.value(0) << " --help' for details.\n";
        err().flush();
        return 2;
    }
    if (parser.isSet(help)) {
        // QCommandLineParser's own help text names the program; we want "sextant <command>" instead.
        QString text = parser.helpText();
        const int firstNewline = text.indexOf(QLatin1Char('\n'));
        text = QStringLiteral("Usage: ") + synopsis + text.mid(firstNewline);
        out() << text;
        out().flush();
        return 0;
    }
    return std::nullopt;
}

QCommandLineOption databaseOption()
{
    return QCommandLineOption(QStringLiteral("db"),
                              QStringLiteral("The capture/cache file (default: %1).").arg(defaultDatabasePath()),
                              QStringLiteral("file"));
}

QString databasePath(const QCommandLineParser &parser)
{
    const QString db = parser.value(QStringLiteral("db"));
    return db.isEmpty() ? defaultDatabasePath() : db;
}

std::optional<TraceId> parseTraceId(const QString &text)
{
    const QByteArray latin = text.trimmed().toLatin1();
    auto id = TraceId::fromHex(std::string_view(latin.constData(), size_t(latin.size())));
    if (!id || !id->isValid())
        return std::nullopt;
    return id;
}

std::optional<uint64_t> parseTime(const QString &text)
{
    bool ok = false;
    const qulonglong nanos = text.toULongLong(&ok);
    if (ok)
        return nanos;
    QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    if (dt.timeSpec() == Qt::LocalTime && !text.contains(QLatin1Char('+')) && !text.endsWith(QLatin1Char('Z')))
        dt.setTimeZone(QTimeZone::utc());
    const qint64 ms = dt.toMSecsSinceEpoch();
    if (ms < 0)
        return std::nullopt;
    return uint64_t(ms) * 1000000ull;
}

QString formatTime(uint64_t unixNano)
{
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(qint64(unixNano / 1000000ull), QTimeZone::utc());
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.")) +
           QStringLiteral("%1Z").arg(qulonglong(unixNano % 1000000000ull), 9, 10, QLatin1Char('0'));
}

QString formatCount(qint64 n)
{
    QLocale locale(QLocale::English);
    return locale.toString(n);
}

QString formatDuration(double seconds)
{
    if (seconds < 1e-3)
        return QStringLiteral("%1 µs").arg(seconds * 1e6, 0, 'f', 0);
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'f', 1);
    if (seconds < 120)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 2);
    if (seconds < 7200)
        return QStringLiteral("%1 min").arg(seconds / 60, 0, 'f', 1);
    if (seconds < 172800)
        return QStringLiteral("%1 h").arg(seconds / 3600, 0, 'f', 1);
    return QStringLiteral("%1 days").arg(seconds / 86400, 0, 'f', 1);
}

} // namespace Sextant::Cli
