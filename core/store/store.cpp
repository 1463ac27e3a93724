#include "store.h"

#include "schema.h"
#include "sqlite.h"
#include "writer.h"

#include <future>

namespace Sextant {

std::unique_ptr<Store> Store::open(const QString &path, QString *error)
{
    return open(path, Options(), error);
}

std::unique_ptr<Store> Store::open(const QString &path, const Options &options, QString *error)
{
    qRegisterMetaType<Sextant::StoreChange>();
    sqlite3 *db = Schema::openForWriting(path, error);
    if (!db)
        return nullptr;
    std::unique_ptr<Store> store(new Store());
    store->m_path = path;
    try {
        Store *self = store.get();
        store->m_writer = std::make_unique<Writer>(
            db, path, options, [self](const StoreChange &change) { Q_EMIT self->changed(change); });
    } catch (const Sql::Error &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        return nullptr;
    }
    return store;
}

Store::~Store()
{
    m_writer.reset(); // drains and joins while this object (and its signal) still exists
}

QString Store::path() const
{
    return m_path;
}

bool Store::submit(Batch &&batch)
{
    return m_writer->submit(std::move(batch), true);
}

bool Store::trySubmit(Batch &&batch)
{
    return m_writer->submit(std::move(batch), false);
}

void Store::flush()
{
    m_writer->flush();
}

QString Store::execute(const std::function<void(sqlite3 *db)> &task)
{
    std::promise<QString> done;
    std::future<QString> result = done.get_future();
    const bool queued = m_writer->submitTask([&task, &done](sqlite3 *db) {
        QString error;
        try {
            task(db);
        } catch (const Sql::Error &e) {
            error = QString::fromUtf8(e.what());
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        done.set_value(error);
    });
    if (!queued)
        return QStringLiteral("the store is closing");
    return result.get();
}

WriterStats Store::stats() const
{
    return m_writer->stats();
}

void Store::resume()
{
    m_writer->resume();
}

} // namespace Sextant
