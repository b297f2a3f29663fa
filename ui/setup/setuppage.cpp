#include "setuppage.h"

#include "applicationdialog.h"
#include "git/gitworker.h"
#include "repositorydialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollArea>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

namespace {
enum Column { ContextColumn, NameColumn, TagsColumn };
// The context as read (its column is not meant to be edited) and the cluster's name in the
// workspace, so a renamed cluster can be renamed in its applications too.
constexpr int ContextRole = Qt::UserRole;
constexpr int OriginalNameRole = Qt::UserRole + 1;

QStringList splitTags(const QString& text) {
    QStringList tags;
    for (const QString& tag : text.split(u',', Qt::SkipEmptyParts))
        if (const QString t = tag.trimmed(); !t.isEmpty() && !tags.contains(t))
            tags.append(t);
    return tags;
}
} // namespace

SetupPage::SetupPage(const QStringList& kubeconfigPaths, const QString& gitCacheRoot, QWidget* parent)
    : QWidget(parent)
    , m_kubeconfigPaths(kubeconfigPaths.isEmpty() ? kube::defaultKubeconfigPaths() : kubeconfigPaths) {
    setObjectName(u"setupPage"_s);
    m_git = new git::GitWorker(gitCacheRoot, this);
    auto* layout = new QVBoxLayout(this);
    auto* title =
        new QLabel(tr("<h2>Workspace setup</h2><p>Tick the kubeconfig contexts to watch as clusters, "
                      "add the Git repositories and the applications, or import Argo CD "
                      "Application manifests. Credentials are references only: the page has no "
                      "field for a token or password.</p>"));
    title->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(buildClusters(), 2);
    auto* lists = new QHBoxLayout;
    lists->addWidget(buildList(
        tr("Repositories"), m_repositories, [this](int row) { openRepositoryDialog(row); },
        [this](int row) { removeRepository(row); }));
    lists->addWidget(buildList(
        tr("Applications"), m_applications, [this](int row) { openApplicationDialog(row); },
        [this](int row) { removeApplication(row); }));
    layout->addLayout(lists, 2);
    m_message = new QLabel;
    m_message->setObjectName(u"setupMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);

    auto* buttons = new QDialogButtonBox;
    QPushButton* import =
        buttons->addButton(tr("&Import Argo CD Applications…"), QDialogButtonBox::ActionRole);
    import->setAccessibleName(tr("Import Argo CD Applications from a folder"));
    QPushButton* saveButton = buttons->addButton(QDialogButtonBox::Save);
    saveButton->setAccessibleName(tr("Save the workspace"));
    QPushButton* cancel = buttons->addButton(QDialogButtonBox::Cancel);
    connect(import, &QPushButton::clicked, this, [this] {
        const QString dir =
            QFileDialog::getExistingDirectory(this, tr("Folder of Argo CD Application manifests"));
        if (!dir.isEmpty())
            importArgoDirectory(dir);
    });
    connect(saveButton, &QPushButton::clicked, this, &SetupPage::save);
    connect(cancel, &QPushButton::clicked, this, &SetupPage::cancelled);
    layout->addWidget(buttons);
    readContexts();
}

SetupPage::~SetupPage() = default;

QWidget* SetupPage::buildClusters() {
    auto* box = new QGroupBox(tr("Clusters"));
    auto* layout = new QVBoxLayout(box);
    m_contextStatus = new QLabel(tr("Reading the kubeconfig…"));
    m_contextStatus->setWordWrap(true);
    layout->addWidget(m_contextStatus);
    m_clusters = new QTreeWidget;
    m_clusters->setObjectName(u"clusterTree"_s);
    m_clusters->setAccessibleName(
        tr("Kubeconfig contexts: tick the ones to watch; name and tags are editable"));
    m_clusters->setHeaderLabels({tr("Context"), tr("Cluster name"), tr("Tags (comma-separated)")});
    m_clusters->setRootIsDecorated(false);
    m_clusters->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                                QAbstractItemView::SelectedClicked);
    m_clusters->header()->setSectionResizeMode(QHeaderView::Stretch);
    // QTreeWidget makes every column of an editable row editable: the context stays as read.
    connect(m_clusters, &QTreeWidget::itemChanged, this, [](QTreeWidgetItem* item, int column) {
        const QString context = item->data(ContextColumn, ContextRole).toString();
        if (column == ContextColumn && item->text(ContextColumn) != context)
            item->setText(ContextColumn, context);
    });
    layout->addWidget(m_clusters);
    return box;
}

QWidget* SetupPage::buildList(const QString& title, QListWidget*& list, const std::function<void(int)>& open,
                              const std::function<void(int)>& remove) {
    auto* box = new QGroupBox(title);
    auto* layout = new QVBoxLayout(box);
    list = new QListWidget;
    list->setAccessibleName(title);
    layout->addWidget(list);
    auto* row = new QHBoxLayout;
    auto* add = new QPushButton(tr("Add…"));
    auto* edit = new QPushButton(tr("Edit…"));
    auto* del = new QPushButton(tr("Remove"));
    add->setAccessibleName(tr("Add to %1").arg(title));
    edit->setAccessibleName(tr("Edit the selected entry of %1").arg(title));
    del->setAccessibleName(tr("Remove the selected entry of %1").arg(title));
    for (QPushButton* b : {add, edit, del})
        row->addWidget(b);
    row->addStretch();
    layout->addLayout(row);
    QListWidget* l = list;
    connect(add, &QPushButton::clicked, this, [open] { open(-1); });
    connect(edit, &QPushButton::clicked, this, [l, open] {
        if (l->currentRow() >= 0)
            open(l->currentRow());
    });
    connect(l, &QListWidget::itemActivated, this, [l, open] { open(l->currentRow()); });
    connect(del, &QPushButton::clicked, this, [l, remove] {
        if (l->currentRow() >= 0)
            remove(l->currentRow());
    });
    return box;
}

void SetupPage::readContexts() {
    auto* watcher = new QFutureWatcher<Result<kube::Kubeconfig>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<kube::Kubeconfig> loaded = watcher->result();
        if (loaded.ok()) {
            m_kubeconfig = *loaded;
            m_contextStatus->setText(
                m_kubeconfig.contexts.isEmpty()
                    ? tr("No contexts in %1: add them with kubectl config set-context, then open this page "
                         "again.")
                          .arg(m_kubeconfigPaths.join(u", "_s))
                    : tr("Contexts of %1.").arg(m_kubeconfig.files.join(u", "_s)));
        } else {
            m_contextStatus->setText(tr("The kubeconfig cannot be read: %1").arg(loaded.error().toString()));
        }
        m_workspace = workspace(); // keeps the ticks, names and tags (and renames) made so far
        m_contextsRead = true;
        fillClusters();
        Q_EMIT contextsLoaded();
    });
    const QStringList paths = m_kubeconfigPaths;
    watcher->setFuture(QtConcurrent::run([paths] { return kube::loadKubeconfig(paths); }));
}

void SetupPage::fillClusters() {
    m_clusters->clear();
    const auto addRow = [this](const ClusterSpec& cluster, bool checked, bool inKubeconfig) {
        auto* item =
            new QTreeWidgetItem(m_clusters, {cluster.context, cluster.name, cluster.tags.join(u", "_s)});
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
        item->setCheckState(ContextColumn, checked ? Qt::Checked : Qt::Unchecked);
        item->setData(ContextColumn, ContextRole, cluster.context);
        item->setData(NameColumn, OriginalNameRole, checked ? cluster.name : QString());
        if (!inKubeconfig)
            item->setToolTip(ContextColumn, tr("Not a context of the kubeconfig this page read"));
    };
    // The workspace's clusters first, in their order, so a save keeps the file's order.
    for (const ClusterSpec& cluster : std::as_const(m_workspace.clusters))
        addRow(cluster, true, m_kubeconfig.contexts.contains(cluster.context));
    for (auto it = m_kubeconfig.contexts.cbegin(); it != m_kubeconfig.contexts.cend(); ++it) {
        const bool used = std::any_of(m_workspace.clusters.cbegin(), m_workspace.clusters.cend(),
                                      [&](const ClusterSpec& c) { return c.context == it.key(); });
        if (!used)
            addRow(ClusterSpec{it.key(), it.key(), {}}, false, true);
    }
}

void SetupPage::fillLists() {
    m_repositories->clear();
    for (const RepoSpec& repo : std::as_const(m_workspace.repositories))
        m_repositories->addItem(u"%1 — %2%3"_s.arg(
            repo.name, repo.url, repo.branch.isEmpty() ? QString() : u" @ "_s + repo.branch));
    m_applications->clear();
    for (const AppSpec& app : std::as_const(m_workspace.applications))
        m_applications->addItem(
            tr("%1 — %2:%3 → %4/%5")
                .arg(app.name, app.repo, app.path, app.cluster, app.ns.isEmpty() ? u"-"_s : app.ns));
}

void SetupPage::setWorkspace(const workspace::Workspace& workspace) {
    m_workspace = workspace;
    fillClusters();
    fillLists();
}

void SetupPage::editFile(const QString& path) {
    m_path = path;
    auto* watcher = new QFutureWatcher<Result<workspace::LoadedWorkspace>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher] {
        watcher->deleteLater();
        const Result<workspace::LoadedWorkspace> loaded = watcher->result();
        if (loaded.ok()) {
            setWorkspace(loaded->workspace);
            showMessage(loaded->warnings.join(u'\n'), false);
        } else if (loaded.error().code != Error::Code::NotFound) {
            showMessage(tr("The workspace cannot be read (%1); saving will replace it.")
                            .arg(loaded.error().toString()),
                        true);
        }
        Q_EMIT workspaceLoaded();
    });
    watcher->setFuture(QtConcurrent::run([path] { return workspace::loadWorkspace(path); }));
}

workspace::Workspace SetupPage::workspace() const {
    workspace::Workspace out = m_workspace;
    out.clusters.clear();
    for (int i = 0; i < m_clusters->topLevelItemCount(); ++i) {
        const QTreeWidgetItem* item = m_clusters->topLevelItem(i);
        if (item->checkState(ContextColumn) != Qt::Checked)
            continue;
        const QString name = item->text(NameColumn).trimmed();
        out.clusters.append(ClusterSpec{name, item->data(ContextColumn, ContextRole).toString(),
                                        splitTags(item->text(TagsColumn))});
        if (const QString before = item->data(NameColumn, OriginalNameRole).toString();
            !before.isEmpty() && before != name)
            for (AppSpec& app : out.applications)
                if (app.cluster == before)
                    app.cluster = name;
    }
    return out;
}

bool SetupPage::save() {
    const workspace::Workspace current = workspace();
    if (m_path.isEmpty()) {
        showMessage(tr("No workspace file to save to."), true);
        return false;
    }
    // The reader's checks (duplicate names, unknown cluster or repository, bad values) before the
    // file is replaced, so a saved workspace always loads back.
    const Result<workspace::LoadedWorkspace> checked =
        workspace::parseWorkspace(workspace::workspaceToYaml(current), m_path);
    if (!checked.ok()) {
        showMessage(tr("Not saved: %1").arg(checked.error().toString()), true);
        return false;
    }
    const Status written = workspace::saveWorkspace(current, m_path);
    if (!written.ok()) {
        showMessage(tr("Not saved: %1").arg(written.error().toString()), true);
        return false;
    }
    m_workspace = current;
    showMessage(tr("Saved %1.").arg(m_path), false);
    Q_EMIT saved(m_path);
    return true;
}

void SetupPage::showMessage(const QString& text, bool error) {
    m_message->setText(text);
    m_message->setProperty("error", error);
    m_message->setAccessibleDescription(text);
}

} // namespace driftdeck::ui
