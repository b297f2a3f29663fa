#include "historypane.h"

#include "diffview/diffview.h"
#include "enginecontroller.h"
#include "revisionreads.h"

#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QSplitter>
#include <QTreeWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {
namespace {

constexpr int kCommitRole = Qt::UserRole + 1;
constexpr int kFilesRole = Qt::UserRole + 2;

QString when(const QDateTime& time) {
    return time.isValid() ? QLocale().toString(time.toLocalTime(), QLocale::ShortFormat) : QString();
}

template <typename T>
void whenReady(QObject* context, QFuture<T> future, std::function<void(const T&)> done) {
    auto* watcher = new QFutureWatcher<T>(context);
    QObject::connect(watcher, &QFutureWatcherBase::finished, context, [watcher, done] {
        watcher->deleteLater();
        if (watcher->future().resultCount() > 0)
            done(watcher->result());
    });
    watcher->setFuture(future);
}

} // namespace

HistoryPane::HistoryPane(EngineController* engine, QWidget* parent)
    : QWidget(parent)
    , m_engine(engine) {
    auto* layout = new QVBoxLayout(this);
    m_title = new QLabel(tr("Select an application to see its history."), this);
    layout->addWidget(m_title);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    layout->addWidget(splitter, 1);

    auto* commitsBox = new QWidget(splitter);
    auto* commitsLayout = new QVBoxLayout(commitsBox);
    commitsLayout->setContentsMargins(0, 0, 0, 0);
    auto* commitsLabel = new QLabel(tr("&Commits that touched the application's path"), commitsBox);
    commitsLayout->addWidget(commitsLabel);
    m_commits = new QTreeWidget(commitsBox);
    m_commits->setRootIsDecorated(false);
    m_commits->setHeaderLabels({tr("Commit"), tr("Date"), tr("Author"), tr("Summary")});
    m_commits->setAccessibleName(tr("Commits"));
    m_commits->header()->resizeSection(0, 80);
    m_commits->header()->resizeSection(1, 130);
    commitsLabel->setBuddy(m_commits);
    commitsLayout->addWidget(m_commits, 1);
    auto* buttons = new QHBoxLayout;
    m_revert = new QPushButton(tr("Re&vert this commit…"), commitsBox);
    m_rollback = new QPushButton(tr("Roll &back to this revision…"), commitsBox);
    m_compare = new QPushButton(tr("Compare &live with this revision"), commitsBox);
    m_revert->setObjectName(u"revertCommit"_s);
    m_rollback->setObjectName(u"rollbackToCommit"_s);
    m_compare->setObjectName(u"compareWithCommit"_s);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_rollback);
    buttons->addWidget(m_compare);
    buttons->addStretch();
    commitsLayout->addLayout(buttons);
    m_commitStatus = new QLabel(commitsBox);
    m_commitStatus->setWordWrap(true);
    commitsLayout->addWidget(m_commitStatus);

    m_commitDiff = new DiffView(splitter);
    m_commitDiff->setAccessibleName(tr("The selected commit's changes"));
    m_commitDiff->setProvenanceVisible(false);

    auto* operationsBox = new QWidget(splitter);
    auto* operationsLayout = new QVBoxLayout(operationsBox);
    operationsLayout->setContentsMargins(0, 0, 0, 0);
    auto* operationsLabel = new QLabel(tr("&Operations recorded for the application"), operationsBox);
    operationsLayout->addWidget(operationsLabel);
    m_operations = new QTreeWidget(operationsBox);
    m_operations->setRootIsDecorated(false);
    m_operations->setHeaderLabels(
        {tr("Started"), tr("Operation"), tr("Outcome"), tr("Revision"), tr("User"), tr("Error")});
    m_operations->setAccessibleName(tr("Operations"));
    operationsLabel->setBuddy(m_operations);
    operationsLayout->addWidget(m_operations, 1);
    auto* paging = new QHBoxLayout;
    m_newer = new QPushButton(tr("&Newer"), operationsBox);
    m_older = new QPushButton(tr("Ol&der"), operationsBox);
    m_pageLabel = new QLabel(operationsBox);
    paging->addWidget(m_newer);
    paging->addWidget(m_older);
    paging->addWidget(m_pageLabel, 1);
    operationsLayout->addLayout(paging);
    splitter->setSizes({220, 260, 200});

    connect(m_commits, &QTreeWidget::currentItemChanged, this, [this] {
        showCommitDiff();
        updateButtons();
    });
    connect(m_revert, &QPushButton::clicked, this, [this] {
        const QTreeWidgetItem* item = m_commits->currentItem();
        if (item)
            Q_EMIT revertRequested(m_application, selectedCommit(), item->text(3),
                                   item->data(0, kFilesRole).toStringList());
    });
    connect(m_rollback, &QPushButton::clicked, this,
            [this] { Q_EMIT rollbackRequested(m_application, selectedCommit()); });
    connect(m_compare, &QPushButton::clicked, this,
            [this] { Q_EMIT compareRequested(m_application, selectedCommit()); });
    connect(m_newer, &QPushButton::clicked, this, [this] {
        m_offset = std::max(0, m_offset - kPageSize);
        loadOperations();
    });
    connect(m_older, &QPushButton::clicked, this, [this] {
        m_offset += kPageSize;
        loadOperations();
    });
    connect(m_engine, &EngineController::operationFinished, this,
            [this](const engine::OperationResult& result) {
                if (result.application == m_application)
                    loadOperations();
            });
    updateButtons();
}

HistoryPane::~HistoryPane() = default;

void HistoryPane::setWorkspace(const workspace::Workspace& workspace, const QString& gitCacheRoot) {
    m_workspace = workspace;
    m_cacheRoot = gitCacheRoot;
    showApplication(nullptr);
}

QString HistoryPane::selectedCommit() const {
    const QTreeWidgetItem* item = m_commits->currentItem();
    return item ? item->data(0, kCommitRole).toString() : QString();
}

bool HistoryPane::selectCommit(const QString& commitId) {
    m_pendingCommit.clear();
    for (int i = 0; i < m_commits->topLevelItemCount(); ++i)
        if (m_commits->topLevelItem(i)->data(0, kCommitRole).toString() == commitId) {
            m_commits->setCurrentItem(m_commits->topLevelItem(i));
            m_commits->scrollToItem(m_commits->topLevelItem(i));
            return true;
        }
    if (m_commits->topLevelItemCount() == 0)
        m_pendingCommit = commitId; // still loading
    return false;
}

void HistoryPane::showApplication(const engine::AppStatus* app) {
    const QString key =
        app ? u"%1|%2|%3"_s.arg(app->name, app->commitId, app->lastSyncAt.toString(Qt::ISODate)) : QString();
    if (key == m_shownKey)
        return;
    const bool sameApp = app && app->name == m_application;
    m_shownKey = key;
    m_application = app ? app->name : QString();
    m_fromCommit = app ? app->commitId : QString();
    if (!sameApp)
        m_offset = 0;
    reload();
}

void HistoryPane::reload() {
    ++m_generation;
    m_commits->clear();
    m_operations->clear();
    m_commitDiff->setDocument({});
    if (m_application.isEmpty()) {
        m_title->setText(tr("Select an application to see its history."));
        m_commitStatus->clear();
        m_pageLabel->clear();
        updateButtons();
        return;
    }
    m_title->setText(tr("<b>%1</b>: commits and operations").arg(m_application.toHtmlEscaped()));
    loadCommits();
    loadOperations();
}

void HistoryPane::loadCommits() {
    const AppSpec* app = m_workspace.application(m_application);
    const RepoSpec* repo = app ? m_workspace.repository(app->repo) : nullptr;
    if (!app || !repo || m_fromCommit.isEmpty()) {
        m_commitStatus->setText(tr("The commits show once the application has been compared."));
        return;
    }
    m_commitStatus->setText(tr("Reading the history of %1…").arg(app->path));
    const quint64 generation = m_generation;
    whenReady<Result<QList<git::CommitInfo>>>(
        this, applicationCommits(GitSource{m_cacheRoot, *repo}, *app, m_fromCommit),
        [this, generation](const Result<QList<git::CommitInfo>>& commits) {
            if (generation != m_generation)
                return;
            if (!commits.ok()) {
                m_commitStatus->setText(commits.error().toString());
                return;
            }
            for (const git::CommitInfo& commit : *commits) {
                auto* item = new QTreeWidgetItem(m_commits);
                item->setText(0, commit.id.left(7));
                item->setText(1, when(commit.commitTime));
                item->setText(2, commit.authorName);
                item->setText(3, commit.summary);
                item->setToolTip(3, commit.summary + u"\n\n"_s + commit.body);
                item->setData(0, kCommitRole, commit.id);
                item->setData(0, kFilesRole, commit.changedFiles);
            }
            m_commitStatus->setText(
                tr("%n commit(s). Select one to see its changes.", nullptr, int(commits->size())));
            if (!m_pendingCommit.isEmpty())
                selectCommit(m_pendingCommit);
            updateButtons();
            Q_EMIT commitsLoaded();
        });
}

void HistoryPane::showCommitDiff() {
    const AppSpec* app = m_workspace.application(m_application);
    const RepoSpec* repo = app ? m_workspace.repository(app->repo) : nullptr;
    const QString commit = selectedCommit();
    if (!app || !repo || commit.isEmpty()) {
        m_commitDiff->setDocument({});
        return;
    }
    const quint64 generation = m_generation;
    whenReady<Result<git::CommitDiff>>(
        this, applicationCommitDiff(GitSource{m_cacheRoot, *repo}, *app, commit),
        [this, generation, commit](const Result<git::CommitDiff>& diff) {
            if (generation != m_generation || commit != selectedCommit())
                return;
            if (!diff.ok()) {
                m_commitStatus->setText(diff.error().toString());
                return;
            }
            m_commitStatus->setText(tr("Commit %1: before (left) and after (right), %n file(s).", nullptr,
                                       int(diff->files.size()))
                                        .arg(commit.left(7)));
            m_commitDiff->setDocument(commitDiffDocument(*diff));
        });
}

void HistoryPane::loadOperations() {
    if (m_application.isEmpty())
        return;
    history::HistoryQuery query;
    query.application = m_application;
    query.offset = m_offset;
    query.limit = kPageSize;
    const quint64 generation = m_generation;
    m_pageLabel->setText(tr("Loading operations…"));
    whenReady<Result<history::HistoryPage>>(
        this, m_engine->history(query), [this, generation](const Result<history::HistoryPage>& page) {
            if (generation != m_generation)
                return;
            m_operations->clear();
            if (!page.ok()) {
                m_pageLabel->setText(page.error().toString());
                return;
            }
            m_total = page->totalCount;
            for (const history::OperationRecord& record : page->operations) {
                auto* item = new QTreeWidgetItem(m_operations);
                item->setText(0, when(record.startedAt));
                item->setText(1, record.kind);
                item->setText(2, record.outcome);
                item->setText(3, record.revision.left(7));
                item->setText(4, record.user);
                item->setText(5, record.error);
                item->setToolTip(5, record.error);
            }
            m_pageLabel->setText(page->operations.isEmpty()
                                     ? tr("No operations recorded yet.")
                                     : tr("%1–%2 of %3")
                                           .arg(m_offset + 1)
                                           .arg(m_offset + int(page->operations.size()))
                                           .arg(m_total));
            updateButtons();
            Q_EMIT operationsLoaded();
        });
}

void HistoryPane::updateButtons() {
    const bool commit = !selectedCommit().isEmpty();
    m_revert->setEnabled(commit);
    m_rollback->setEnabled(commit);
    m_compare->setEnabled(commit);
    m_newer->setEnabled(m_offset > 0);
    m_older->setEnabled(m_offset + kPageSize < m_total);
}

} // namespace driftdeck::ui
