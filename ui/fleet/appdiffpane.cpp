#include "appdiffpane.h"

#include "diffview/diffview.h"

#include <QFutureWatcher>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {

AppDiffPane::AppDiffPane(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setContentsMargins(6, 4, 6, 4);
    m_title->setWordWrap(true);
    layout->addWidget(m_title);
    m_view = new DiffView(this);
    m_view->setAccessibleName(tr("Diff of Git against live"));
    m_view->setProvenanceVisible(false); // until a provenance source is set
    layout->addWidget(m_view, 1);
    clear();
}

AppDiffPane::~AppDiffPane() = default;

QString AppDiffPane::title() const {
    return m_title->text();
}

void AppDiffPane::setProvenanceSource(ProvenanceSource source) {
    m_provenance = std::move(source);
    m_view->setProvenanceVisible(bool(m_provenance));
}

namespace {

Provenance toGutter(const provenance::LineProvenance& line) {
    if (line.isNull())
        return {};
    return Provenance{line.shortId.isEmpty() ? line.commitId.left(7) : line.shortId, line.author, line.time,
                      line.commitId};
}

} // namespace

// Blame is asked again only when the commit or the desired lines changed: a live event that
// compares the application again leaves Git's side, and so its provenance, as it was.
void AppDiffPane::requestProvenance(const QString& application, const QString& commitId, quint64 generation) {
    const DiffDocument& document = m_view->document();
    const int sections = std::min(document.sectionCount(), kMaxProvenanceSections);
    if (m_provenanceCache.size() > 4 * kMaxProvenanceSections)
        m_provenanceCache.clear();
    for (int section = 0; section < sections; ++section) {
        const DiffSection& shown = document.section(section);
        if (shown.desiredLines.isEmpty())
            continue; // an extra object: nothing in Git to blame
        const QString cacheKey = u"%1|%2|%3|%4"_s.arg(application, commitId, shown.key.toString())
                                     .arg(qHash(shown.desiredLines.join(u'\n')));
        if (const auto cached = m_provenanceCache.constFind(cacheKey); cached != m_provenanceCache.cend()) {
            m_view->setDesiredProvenance(section, *cached);
            continue;
        }
        ++m_pendingProvenance;
        auto* watcher = new QFutureWatcher<Result<QList<provenance::LineProvenance>>>(this);
        const ResourceKey key = shown.key;
        connect(watcher, &QFutureWatcherBase::finished, this,
                [this, watcher, generation, section, key, cacheKey] {
                    watcher->deleteLater();
                    if (generation != m_generation)
                        return; // another document is shown; its own requests are counted
                    --m_pendingProvenance;
                    const DiffDocument& current = m_view->document();
                    if (watcher->future().resultCount() == 0 || section >= current.sectionCount() ||
                        current.section(section).key != key)
                        return;
                    const Result<QList<provenance::LineProvenance>> lines = watcher->result();
                    // No blame (a chart from a Helm registry, a shallow history), or the engine compared a
                    // newer commit meanwhile (its lines differ): the gutter stays empty until the next
                    // document.
                    if (!lines.ok() || lines->size() != current.section(section).desiredLines.size())
                        return;
                    QList<Provenance> gutter;
                    gutter.reserve(lines->size());
                    for (const provenance::LineProvenance& line : *lines)
                        gutter.append(toGutter(line));
                    m_provenanceCache.insert(cacheKey, gutter);
                    m_view->setDesiredProvenance(section, gutter);
                });
        watcher->setFuture(m_provenance(application, key));
    }
}

void AppDiffPane::clear() {
    m_held = false;
    m_lastApplication.clear();
    m_lastFocus = {};
    m_pendingProvenance = 0;
    ++m_generation;
    m_building = false;
    m_shownKey.clear();
    m_title->setText(tr("Select an application to see Git (left) against live (right)."));
    m_view->setDocument(DiffDocument());
}

DiffDocument AppDiffPane::buildDocument(const engine::AppStatus& app, const ResourceKey& focus) {
    DiffDocument document;
    for (const engine::ResourceStatus& resource : app.resources) {
        const bool wanted = focus.isValid() ? resource.key == focus : resource.diff.hasDrift();
        if (wanted)
            document.addSection(makeDiffSection(resource.diff, resource.managedFields));
    }
    return document;
}

void AppDiffPane::showApplication(const engine::AppStatus& app, const ResourceKey& focus) {
    const bool sameSelection = app.name == m_lastApplication && focus == m_lastFocus;
    m_lastApplication = app.name;
    m_lastFocus = focus;
    if (m_held) {
        if (sameSelection)
            return; // a held document (a revision comparison) stays until the selection changes
        m_held = false;
    }
    const QString key =
        u"%1|%2|%3|%4"_s.arg(app.name, app.commitId).arg(app.compareCount).arg(focus.toString());
    if (key == m_shownKey)
        return;
    m_shownKey = key;
    const quint64 generation = ++m_generation;
    m_building = true;
    const QString what = focus.isValid() ? focus.kind + u' ' + focus.name : app.name;
    m_title->setText(tr("Comparing %1…").arg(what));
    auto* watcher = new QFutureWatcher<DiffDocument>(this);
    connect(watcher, &QFutureWatcherBase::finished, this,
            [this, watcher, generation, what, focus, appName = app.name, commitId = app.commitId] {
                watcher->deleteLater();
                if (generation != m_generation || watcher->future().resultCount() == 0)
                    return;
                const DiffDocument document = watcher->result();
                m_building = false;
                if (document.sectionCount() == 0)
                    m_title->setText(focus.isValid() ? tr("%1 matches Git.").arg(what)
                                                     : tr("%1: every resource matches Git.").arg(what));
                else
                    m_title->setText(
                        tr("%1 — Git (left) against live (right): %n resource(s), n / p for the next or "
                           "previous change",
                           nullptr, document.sectionCount())
                            .arg(what));
                m_view->setDocument(document);
                m_pendingProvenance = 0;
                if (m_provenance)
                    requestProvenance(appName, commitId, generation);
                Q_EMIT documentShown();
            });
    watcher->setFuture(QtConcurrent::run([app, focus] { return buildDocument(app, focus); }));
}

void AppDiffPane::showDocument(const QString& title, const DiffDocument& document, bool hold) {
    m_held = hold;
    m_pendingProvenance = 0;
    ++m_generation;
    m_building = false;
    m_shownKey.clear();
    m_title->setText(title);
    m_view->setDocument(document);
    Q_EMIT documentShown();
}

} // namespace driftdeck::ui
