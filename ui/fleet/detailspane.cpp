#include "detailspane.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QScrollBar>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace driftdeck::ui {
namespace {

QString esc(const QString& text) {
    return text.toHtmlEscaped();
}

QString row(const QString& label, const QString& valueHtml) {
    if (valueHtml.isEmpty())
        return {};
    return u"<tr><td style='padding-right:12px'><b>%1</b></td><td>%2</td></tr>"_s.arg(esc(label), valueHtml);
}

QString errorHtml(const Error& error) {
    QString html = u"<p style='color:#c62828'><b>%1</b></p>"_s.arg(esc(error.message));
    if (!error.detail.isEmpty())
        html += u"<p><b>%1</b> %2</p>"_s.arg(DetailsPane::tr("What to do:"), esc(error.detail));
    return html;
}

QString when(const QDateTime& time) {
    return time.isValid() ? esc(QLocale().toString(time.toLocalTime(), QLocale::LongFormat)) : QString();
}

QString jsonText(const QJsonValue& value) {
    if (value.isUndefined())
        return u"—"_s;
    if (value.isString())
        return value.toString();
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return QString::fromUtf8(
        QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1));
}

QString yamlBlock(const QStringList& lines) {
    return u"<pre style='font-family:monospace'>%1</pre>"_s.arg(esc(lines.join(u'\n')));
}

} // namespace

QString conditionsHtml(const QJsonArray& conditions) {
    QList<QJsonObject> rows;
    for (const QJsonValue& value : conditions)
        if (value.isObject() && rows.size() < 100) // a hostile object cannot flood the pane
            rows.append(value.toObject());
    if (rows.isEmpty())
        return {};
    // RFC 3339 UTC times sort as text; conditions without a time go last.
    std::stable_sort(rows.begin(), rows.end(), [](const QJsonObject& a, const QJsonObject& b) {
        return a.value(u"lastTransitionTime").toString() > b.value(u"lastTransitionTime").toString();
    });
    QString html =
        u"<h3>%1</h3><table border='1' cellspacing='0' cellpadding='3'>"_s.arg(DetailsPane::tr("Conditions"));
    html += u"<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th><th>%5</th></tr>"_s.arg(
        DetailsPane::tr("Type"), DetailsPane::tr("Status"), DetailsPane::tr("Reason"),
        DetailsPane::tr("Message"), DetailsPane::tr("Last transition"));
    for (const QJsonObject& condition : rows) {
        const QDateTime time =
            QDateTime::fromString(condition.value(u"lastTransitionTime").toString(), Qt::ISODate);
        const QString status = condition.value(u"status").toString();
        const QString statusHtml =
            status == u"False"_s ? u"<span style='color:#c62828'>%1</span>"_s.arg(esc(status)) : esc(status);
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td></tr>"_s.arg(
            esc(condition.value(u"type").toString().left(200)), statusHtml,
            esc(condition.value(u"reason").toString().left(200)),
            esc(condition.value(u"message").toString().left(1000)),
            time.isValid() ? esc(QLocale().toString(time.toLocalTime(), QLocale::ShortFormat))
                           : esc(condition.value(u"lastTransitionTime").toString().left(40)));
    }
    return html + u"</table>"_s;
}

QString clusterDetailsHtml(const engine::ClusterStatus& cluster, int applications) {
    QString html = u"<h2>%1</h2><table>"_s.arg(esc(cluster.name));
    html += row(DetailsPane::tr("Connection"), esc(engine::connectionStateName(cluster.connection)));
    html += row(DetailsPane::tr("Context"), esc(cluster.context));
    html += row(DetailsPane::tr("Server"), esc(cluster.server));
    html += row(DetailsPane::tr("Tags"), esc(cluster.tags.join(u", "_s)));
    html += row(DetailsPane::tr("Applications"), QString::number(applications));
    html += row(DetailsPane::tr("Live objects"), QString::number(cluster.liveObjects));
    html += row(DetailsPane::tr("Watched types"), QString::number(cluster.watchedTypes));
    html += u"</table>"_s;
    if (cluster.error)
        html += errorHtml(*cluster.error);
    return html;
}

QString applicationDetailsHtml(const engine::AppStatus& app) {
    QString html = u"<h2>%1</h2><table>"_s.arg(esc(app.name));
    html += row(DetailsPane::tr("Sync"), esc(engine::syncStatusName(app.sync)));
    html += row(DetailsPane::tr("Health"), esc(health::statusName(app.health.status)));
    html += row(DetailsPane::tr("Health message"), esc(app.health.message));
    html += row(DetailsPane::tr("Cluster"), esc(app.cluster));
    html += row(DetailsPane::tr("Source"), esc(app.repo + u" / "_s + app.path));
    html += row(DetailsPane::tr("Target revision"), esc(app.targetRevision));
    html += row(DetailsPane::tr("Compared commit"), u"<code>%1</code>"_s.arg(esc(app.commitId)));
    html += row(DetailsPane::tr("Compared at"), when(app.comparedAt));
    html += row(DetailsPane::tr("Auto-sync"), app.autoSyncPaused ? DetailsPane::tr("paused (rolled back)")
                                              : app.autoSync     ? DetailsPane::tr("on")
                                                                 : DetailsPane::tr("off"));
    html += row(DetailsPane::tr("Pinned to"), esc(app.pinnedRevision));
    html += row(DetailsPane::tr("Last sync"), when(app.lastSyncAt) + u' ' + esc(app.lastSyncResult));
    html += row(DetailsPane::tr("Resources"), DetailsPane::tr("%1 total: %2 changed, %3 missing, %4 extra")
                                                  .arg(app.resources.size())
                                                  .arg(app.count(diff::ObjectDiff::State::OutOfSync))
                                                  .arg(app.count(diff::ObjectDiff::State::Missing))
                                                  .arg(app.count(diff::ObjectDiff::State::Extra)));
    html += u"</table>"_s;
    if (app.error)
        html += errorHtml(*app.error);
    if (!app.warnings.isEmpty()) {
        html += u"<h3>%1</h3><ul>"_s.arg(DetailsPane::tr("Warnings"));
        for (const QString& warning : app.warnings)
            html += u"<li>%1</li>"_s.arg(esc(warning));
        html += u"</ul>"_s;
    }
    return html;
}

QString resourceDetailsHtml(const engine::AppStatus& app, const engine::ResourceStatus& resource) {
    const ResourceKey& key = resource.key;
    QString html = u"<h2>%1 %2</h2><table>"_s.arg(esc(key.kind), esc(key.name));
    html += row(DetailsPane::tr("Namespace"), esc(key.ns));
    html += row(DetailsPane::tr("Group"), esc(key.group.isEmpty() ? u"core"_s : key.group));
    html += row(DetailsPane::tr("Application"), esc(app.name));
    html += row(DetailsPane::tr("Sync"), esc(diff::stateName(resource.diff.state)));
    html += row(DetailsPane::tr("Health"), esc(health::statusName(resource.health.status)));
    html += row(DetailsPane::tr("Health message"), esc(resource.health.message));
    if (!resource.sourceFile.isEmpty())
        html += row(DetailsPane::tr("Defined in"),
                    esc(u"%1/%2:%3"_s.arg(app.path, resource.sourceFile).arg(resource.sourceLine)));
    QStringList owned;
    for (const engine::ChildStatus& child : app.children)
        if (child.ownerUid == resource.uid && !resource.uid.isEmpty())
            owned.append(child.key.kind + u' ' + child.key.name + u" ("_s +
                         health::statusName(child.health.status) + u')');
    if (!owned.isEmpty())
        html += row(DetailsPane::tr("Owns"), esc(owned.join(u", "_s)));
    html += u"</table>"_s;
    html += conditionsHtml(resource.conditions);
    if (!resource.diff.changes.isEmpty()) {
        html += u"<h3>%1</h3><table border='1' cellspacing='0' cellpadding='3'>"_s.arg(
            DetailsPane::tr("Changes"));
        html += u"<tr><th>%1</th><th>%2</th><th>%3</th><th>%4</th></tr>"_s.arg(
            DetailsPane::tr("Type"), DetailsPane::tr("Field"), DetailsPane::tr("Git"),
            DetailsPane::tr("Live"));
        for (const diff::FieldChange& change : resource.diff.changes)
            html += u"<tr><td>%1</td><td><code>%2</code></td><td>%3</td><td>%4</td></tr>"_s.arg(
                esc(diff::changeTypeName(change.type)), esc(change.pointer),
                esc(jsonText(change.desired).left(200)), esc(jsonText(change.live).left(200)));
        html += u"</table>"_s;
    }
    if (!resource.diff.live.isNull())
        html +=
            u"<h3>%1</h3>"_s.arg(DetailsPane::tr("Live YAML")) + yamlBlock(resource.diff.live.yamlLines());
    else
        html += u"<p><i>%1</i></p>"_s.arg(DetailsPane::tr("Not present on the cluster."));
    return html;
}

QString childDetailsHtml(const engine::AppStatus& app, const engine::ChildStatus& child) {
    const ResourceKey& key = child.key;
    QString html = u"<h2>%1 %2</h2><table>"_s.arg(esc(key.kind), esc(key.name));
    html += row(DetailsPane::tr("Namespace"), esc(key.ns));
    html += row(DetailsPane::tr("Application"), esc(app.name));
    html += row(DetailsPane::tr("Owned by"), esc(child.owner.kind + u' ' + child.owner.name));
    html += row(DetailsPane::tr("Health"), esc(health::statusName(child.health.status)));
    html += row(DetailsPane::tr("Health message"), esc(child.health.message));
    html += row(DetailsPane::tr("UID"), u"<code>%1</code>"_s.arg(esc(child.uid)));
    html += u"</table><p><i>%1</i></p>"_s.arg(
        DetailsPane::tr("Made by a controller from its owner; not compared with Git."));
    return html;
}

DetailsPane::DetailsPane(QWidget* parent)
    : QTextBrowser(parent) {
    setOpenLinks(false);
    setAccessibleName(tr("Details"));
    showNothing();
}

// A snapshot arrives every few seconds: unchanged content keeps its scroll position and selection.
void DetailsPane::setContent(const QString& html) {
    if (html == m_html)
        return;
    const int scroll = verticalScrollBar()->value();
    const bool sameItem = html.section(u"</h2>"_s, 0, 0) == m_html.section(u"</h2>"_s, 0, 0);
    m_html = html;
    setHtml(html);
    if (sameItem)
        verticalScrollBar()->setValue(scroll);
}

void DetailsPane::showNothing() {
    setContent(u"<p>%1</p>"_s.arg(tr("Select a cluster, an application or a resource in the tree.")));
}

void DetailsPane::showCluster(const engine::ClusterStatus& cluster, int applications) {
    setContent(clusterDetailsHtml(cluster, applications));
}

void DetailsPane::showApplication(const engine::AppStatus& app) {
    setContent(applicationDetailsHtml(app));
}

void DetailsPane::showResource(const engine::AppStatus& app, const engine::ResourceStatus& resource) {
    setContent(resourceDetailsHtml(app, resource));
}

void DetailsPane::showChild(const engine::AppStatus& app, const engine::ChildStatus& child) {
    setContent(childDetailsHtml(app, child));
}

} // namespace driftdeck::ui
