#include "history/historystore.h"

#include "history/historydatabase_p.h"

#include <QDir>
#include <QPromise>
#include <QThread>

#include <atomic>
#include <functional>

namespace driftdeck::history {
namespace {

// Lives on the history thread and holds the only connection; deleted there when the thread ends.
class HistoryThreadContext : public QObject {
public:
    explicit HistoryThreadContext(QString connectionName)
        : database(std::move(connectionName)) {}
    detail::HistoryDatabase database;
};

QString uniqueConnectionName() {
    static std::atomic<quint64> next{1};
    return QStringLiteral("driftdeck-history-%1").arg(next.fetch_add(1));
}

template <typename T>
QFuture<Result<T>> post(HistoryThreadContext* context,
                        std::function<Result<T>(detail::HistoryDatabase&)> work) {
    auto promise = std::make_shared<QPromise<Result<T>>>();
    QFuture<Result<T>> future = promise->future();
    promise->start();
    QMetaObject::invokeMethod(
        context,
        [context, promise, work = std::move(work)] {
            promise->addResult(work(context->database));
            promise->finish();
        },
        Qt::QueuedConnection);
    return future;
}

} // namespace

struct HistoryStore::Private {
    QThread thread;
    HistoryThreadContext* context = nullptr; // owned by `thread` (deleted when it finishes)
};

HistoryStore::HistoryStore(QObject* parent)
    : QObject(parent)
    , d(std::make_unique<Private>()) {
    d->thread.setObjectName(QStringLiteral("driftdeck-history"));
    d->context = new HistoryThreadContext(uniqueConnectionName());
    d->context->moveToThread(&d->thread);
    connect(&d->thread, &QThread::finished, d->context, &QObject::deleteLater);
    d->thread.start();
}

HistoryStore::~HistoryStore() {
    // Queued behind every call already made, so none of them is dropped.
    HistoryThreadContext* context = d->context;
    QMetaObject::invokeMethod(
        context,
        [context] {
            context->database.close();
            QThread::currentThread()->quit();
        },
        Qt::QueuedConnection);
    d->thread.wait();
}

QString HistoryStore::defaultPath() {
    QString base = qEnvironmentVariable("XDG_DATA_HOME");
    // The XDG base directory specification says a relative value is to be ignored.
    if (base.isEmpty() || QDir::isRelativePath(base))
        base = QDir::homePath() + QStringLiteral("/.local/share");
    return QDir::cleanPath(base + QStringLiteral("/driftdeck/history.sqlite"));
}

QFuture<Status> HistoryStore::open(const QString& path) {
    const QString file = path.isEmpty() ? defaultPath() : path;
    return post<Done>(d->context, [file](detail::HistoryDatabase& db) { return db.open(file); });
}

QFuture<Status> HistoryStore::close() {
    return post<Done>(d->context, [](detail::HistoryDatabase& db) {
        db.close();
        return success();
    });
}

QFuture<Result<qint64>> HistoryStore::record(const OperationRecord& record) {
    return post<qint64>(d->context, [record](detail::HistoryDatabase& db) { return db.insert(record); });
}

QFuture<Status> HistoryStore::update(const OperationRecord& record) {
    return post<Done>(d->context, [record](detail::HistoryDatabase& db) { return db.update(record); });
}

QFuture<Result<HistoryPage>> HistoryStore::operations(const HistoryQuery& query) {
    return post<HistoryPage>(d->context, [query](detail::HistoryDatabase& db) { return db.page(query); });
}

QFuture<Result<OperationRecord>> HistoryStore::operation(qint64 id) {
    return post<OperationRecord>(d->context, [id](detail::HistoryDatabase& db) { return db.operation(id); });
}

QFuture<Result<AppState>> HistoryStore::appState(const QString& application) {
    return post<AppState>(d->context,
                          [application](detail::HistoryDatabase& db) { return db.appState(application); });
}

QFuture<Result<QList<AppState>>> HistoryStore::appStates() {
    return post<QList<AppState>>(d->context, [](detail::HistoryDatabase& db) { return db.appStates(); });
}

QFuture<Status> HistoryStore::setAppState(const AppState& state) {
    return post<Done>(d->context, [state](detail::HistoryDatabase& db) { return db.setAppState(state); });
}

QThread* HistoryStore::databaseThread() const {
    return &d->thread;
}

} // namespace driftdeck::history
