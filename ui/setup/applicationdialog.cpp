#include "applicationdialog.h"

#include "repositorydirectories.h"
#include "workspace/workspace.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

ApplicationDialog::ApplicationDialog(const AppSpec& application, const QList<RepoSpec>& repositories,
                                     const QList<ClusterSpec>& clusters, const QStringList& takenNames,
                                     git::GitWorker* git, QWidget* parent)
    : QDialog(parent)
    , m_original(application)
    , m_repositories(repositories)
    , m_taken(takenNames)
    , m_git(git) {
    setWindowTitle(application.name.isEmpty() ? tr("Add Application") : tr("Edit Application"));
    auto* form = new QFormLayout(this);
    m_name = new QLineEdit(application.name);
    m_name->setAccessibleName(tr("Application name"));
    m_name->setToolTip(
        tr("1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter or digit"));
    form->addRow(tr("&Name:"), m_name);

    m_repository = new QComboBox;
    m_repository->setAccessibleName(tr("Repository"));
    for (const RepoSpec& repo : repositories)
        m_repository->addItem(u"%1 (%2)"_s.arg(repo.name, repo.url), repo.name);
    m_repository->setCurrentIndex(qMax(0, m_repository->findData(application.repo)));
    form->addRow(tr("&Repository:"), m_repository);

    m_path = new QLineEdit(application.path.isEmpty() ? u"."_s : application.path);
    m_path->setAccessibleName(tr("Path in the repository"));
    m_browse = new QPushButton(tr("Bro&wse…"));
    m_browse->setAccessibleName(tr("Browse the repository's directories"));
    auto* pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(m_browse);
    auto* pathLabel = new QLabel(tr("&Path:"));
    pathLabel->setBuddy(m_path); // a layout row gets no buddy from its label text
    form->addRow(pathLabel, pathRow);
    m_browseStatus = new QLabel;
    m_browseStatus->setObjectName(u"browseStatus"_s);
    m_browseStatus->setWordWrap(true);
    m_browseStatus->setVisible(false);
    form->addRow(m_browseStatus);
    m_directories = new QListWidget;
    m_directories->setAccessibleName(tr("Directories of the repository"));
    m_directories->setVisible(false);
    form->addRow(m_directories);

    m_cluster = new QComboBox;
    m_cluster->setAccessibleName(tr("Cluster"));
    for (const ClusterSpec& cluster : clusters)
        m_cluster->addItem(u"%1 (%2)"_s.arg(cluster.name, cluster.context), cluster.name);
    m_cluster->setCurrentIndex(qMax(0, m_cluster->findData(application.cluster)));
    form->addRow(tr("&Cluster:"), m_cluster);

    m_namespace = new QLineEdit(application.ns);
    m_namespace->setAccessibleName(tr("Namespace"));
    m_namespace->setToolTip(tr("Destination namespace for objects that do not name one"));
    form->addRow(tr("Name&space:"), m_namespace);

    m_renderer = new QComboBox;
    m_renderer->setAccessibleName(tr("Renderer"));
    using R = RendererSpec::Type;
    for (R type : {R::Auto, R::Plain, R::Kustomize, R::Helm, R::Command})
        m_renderer->addItem(RendererSpec::typeName(type), int(type));
    m_renderer->setCurrentIndex(qMax(0, m_renderer->findData(int(application.renderer.type))));
    form->addRow(tr("R&enderer:"), m_renderer);

    m_message = new QLabel;
    m_message->setObjectName(u"applicationMessage"_s);
    m_message->setWordWrap(true);
    form->addRow(m_message);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);

    connect(m_browse, &QPushButton::clicked, this, &ApplicationDialog::browse);
    connect(m_name, &QLineEdit::textChanged, m_message, &QLabel::clear); // the refusal was for the old text
    connect(m_directories, &QListWidget::currentTextChanged, this, [this](const QString& dir) {
        if (!dir.isEmpty())
            m_path->setText(dir);
    });
    connect(m_repository, &QComboBox::currentIndexChanged, this, [this] {
        ++m_browseGeneration; // a listing still running is for the other repository
        m_directories->clear();
        m_directories->setVisible(false);
        m_browseStatus->setVisible(false);
    });
}

void ApplicationDialog::browse() {
    const QString repoName = m_repository->currentData().toString();
    const auto repo = std::find_if(m_repositories.cbegin(), m_repositories.cend(),
                                   [&](const RepoSpec& r) { return r.name == repoName; });
    m_browseStatus->setVisible(true);
    if (repo == m_repositories.cend() || !m_git) {
        m_browseStatus->setText(tr("Add a repository first; the path can be typed meanwhile."));
        Q_EMIT directoriesListed(false);
        return;
    }
    const quint64 generation = ++m_browseGeneration;
    m_browse->setEnabled(false);
    m_browseStatus->setText(tr("Reading %1…").arg(repo->url));
    auto* watcher = new QFutureWatcher<Result<QStringList>>(this);
    connect(watcher, &QFutureWatcherBase::finished, this, [this, watcher, generation] {
        watcher->deleteLater();
        if (generation != m_browseGeneration)
            return;
        m_browse->setEnabled(true);
        if (watcher->future().resultCount() == 0) {
            m_browseStatus->setText(tr("The repository listing was cancelled; type the path."));
            Q_EMIT directoriesListed(false);
            return;
        }
        const Result<QStringList> listed = watcher->result();
        if (!listed.ok()) {
            m_browseStatus->setText(tr("The repository cannot be read: %1. Type the path instead.")
                                        .arg(listed.error().toString()));
            Q_EMIT directoriesListed(false);
            return;
        }
        const QString current = m_path->text();
        m_directories->clear();
        m_directories->addItems(*listed);
        m_directories->setVisible(true);
        const auto found = m_directories->findItems(current, Qt::MatchExactly);
        if (!found.isEmpty())
            m_directories->setCurrentItem(found.first());
        m_browseStatus->setText(
            tr("%n directory(ies); pick one or type the path.", nullptr, int(listed->size())));
        Q_EMIT directoriesListed(true);
    });
    watcher->setFuture(listRepositoryDirectories(*m_git, *repo));
}

AppSpec ApplicationDialog::application() const {
    AppSpec out = m_original;
    out.name = m_name->text().trimmed();
    out.repo = m_repository->currentData().toString();
    out.path = m_path->text().trimmed();
    out.cluster = m_cluster->currentData().toString();
    out.ns = m_namespace->text().trimmed();
    out.renderer.type = RendererSpec::Type(m_renderer->currentData().toInt());
    return out;
}

QString ApplicationDialog::problem() const {
    const AppSpec app = application();
    if (!workspace::isValidApplicationName(app.name))
        return tr("“%1” is not a valid application name: use 1 to 63 letters, digits, '.', '_' or '-', "
                  "starting and ending with a letter or digit.")
            .arg(app.name);
    if (m_taken.contains(app.name))
        return tr("Another application is already called “%1”; choose another name.").arg(app.name);
    if (app.repo.isEmpty())
        return tr("Choose a repository (add one in the Repositories section first).");
    if (app.cluster.isEmpty())
        return tr("Choose a cluster (tick one in the Clusters section first).");
    if (app.path.isEmpty() || app.path.startsWith(u'/') || app.path.split(u'/').contains(u".."_s))
        return tr("The path must be a directory inside the repository (\".\" for its root).");
    return {};
}

void ApplicationDialog::accept() {
    const QString why = problem();
    m_message->setText(why);
    if (why.isEmpty())
        QDialog::accept();
}

} // namespace driftdeck::ui
