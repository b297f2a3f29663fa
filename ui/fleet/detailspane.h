#pragma once

#include "engine/enginetypes.h"

#include <QJsonArray>
#include <QTextBrowser>

// The details of the selected cluster, application or resource: a summary, the health message,
// the errors with their fix, the field changes and the live conditions as events-style tables and the live
// YAML (Secrets arrive masked from the engine: values are keyed hashes, never the data).
namespace driftdeck::ui {

class DetailsPane : public QTextBrowser {
    Q_OBJECT
public:
    explicit DetailsPane(QWidget* parent = nullptr);

    void showNothing();
    void showCluster(const engine::ClusterStatus& cluster, int applications);
    void showApplication(const engine::AppStatus& app);
    void showResource(const engine::AppStatus& app, const engine::ResourceStatus& resource);
    void showChild(const engine::AppStatus& app, const engine::ChildStatus& child);
    QString content() const { return m_html; }

private:
    void setContent(const QString& html);
    QString m_html;
};

QString clusterDetailsHtml(const engine::ClusterStatus& cluster, int applications);
QString applicationDetailsHtml(const engine::AppStatus& app);
QString resourceDetailsHtml(const engine::AppStatus& app, const engine::ResourceStatus& resource);
QString childDetailsHtml(const engine::AppStatus& app, const engine::ChildStatus& child);
// The live status.conditions as a table, newest transition first; empty when there are none.
QString conditionsHtml(const QJsonArray& conditions);

} // namespace driftdeck::ui
