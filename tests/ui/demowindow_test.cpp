// The demo acceptance test: `driftdeck --demo` in the process, offscreen. The same DemoLauncher the
// application runs prepares the demo fleet (HOME and the XDG directories point into a temporary
// directory), the window opens its workspace, all three clusters connect and every application gets
// a status. Screenshots of the fleet, the diff of a drifted application and the history are saved
// next to the test binary, and docs-ready copies to $DRIFTDECK_SCREENSHOT_DIR when it is set.
#include "diffview/diffview.h"
#include "fleet/appdiffpane.h"
#include "fleet/demolauncher.h"
#include "fleet/detailspane.h"
#include "fleet/enginecontroller.h"
#include "fleet/fleetfiltermodel.h"
#include "fleet/fleetmodel.h"
#include "fleet/historypane.h"
#include "fleet/mainwindow.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QCoreApplication>
#include <QDir>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTreeView>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using driftdeck::test::waitUntil;

namespace {

constexpr std::chrono::seconds kDemoWait(180);

// Points HOME, the XDG directories and KUBECONFIG into `home` and puts them back afterwards, so the
// demo reads and writes nothing of the user's and the other tests of this binary see no change.
class ScopedHome {
public:
    explicit ScopedHome(const QString& home) {
        const QByteArray path = home.toLocal8Bit();
        set("HOME", path);
        set("XDG_DATA_HOME", path + "/.local/share");
        set("XDG_CONFIG_HOME", path + "/.config");
        set("XDG_CACHE_HOME", path + "/.cache");
        set("KUBECONFIG", path + "/.kube/config");
    }
    ~ScopedHome() {
        for (const auto& [name, value] : m_saved)
            value.isNull() ? qunsetenv(name) : qputenv(name, value);
    }

private:
    void set(const char* name, const QByteArray& value) {
        m_saved.emplace_back(name, qEnvironmentVariableIsSet(name) ? qgetenv(name) : QByteArray());
        qputenv(name, value);
    }
    std::vector<std::pair<const char*, QByteArray>> m_saved;
};

// Saves the window next to the test binary and, when DRIFTDECK_SCREENSHOT_DIR is set, there too.
void saveScreenshot(QWidget* widget, const QString& name) {
    const QImage image = widget->grab().toImage();
    ASSERT_FALSE(image.isNull());
    QStringList dirs{QCoreApplication::applicationDirPath()};
    if (const QString docs = qEnvironmentVariable("DRIFTDECK_SCREENSHOT_DIR"); !docs.isEmpty())
        dirs << docs;
    for (const QString& dir : dirs) {
        QDir().mkpath(dir);
        const QString path = QDir(dir).filePath(name);
        EXPECT_TRUE(image.save(path)) << path.toStdString();
    }
}

bool fleetReady(const ui::MainWindow& window) {
    const engine::Snapshot snapshot = window.engineController()->snapshot();
    if (!snapshot || snapshot->clusters.size() != 3 || !snapshot->complete())
        return false;
    for (const engine::ClusterStatus& cluster : snapshot->clusters)
        if (cluster.connection != engine::ConnectionState::Connected)
            return false;
    return true;
}

} // namespace

TEST(DemoWindow, TheDemoFleetOpensConnectedWithEveryApplicationStatusedAndIsPhotographed) {
    QTemporaryDir home;
    ASSERT_TRUE(home.isValid());
    ScopedHome scoped(home.path());
    {
        ui::DemoLauncher demo; // outlives the window: it owns the clusters
        ui::MainWindow window;
        // Watched for the whole run; owned by the models, so gone with them.
        new QAbstractItemModelTester(
            window.fleetModel(), QAbstractItemModelTester::FailureReportingMode::Fatal, window.fleetModel());
        new QAbstractItemModelTester(window.filterModel(),
                                     QAbstractItemModelTester::FailureReportingMode::Fatal,
                                     window.filterModel());
        window.resize(1400, 860);
        demo.start(&window, demo::DemoOptions{});
        window.show();
        EXPECT_TRUE(window.isShowingEmptyState()); // says what it is doing while preparing
        ASSERT_TRUE(waitUntil([&] { return demo.isPrepared() && !window.isShowingEmptyState(); }, kDemoWait))
            << window.connectionSummary().toStdString();
        EXPECT_TRUE(demo.fleet()->layout().root.startsWith(home.path()));
        ASSERT_TRUE(waitUntil([&] { return window.engineController()->isRunning() && fleetReady(window); },
                              kDemoWait))
            << window.connectionSummary().toStdString();
        const engine::Snapshot snapshot = window.engineController()->snapshot();
        EXPECT_EQ(snapshot->applications.size(), demo.fleet()->layout().applications.size());
        QString drifted;
        for (const engine::AppStatus& app : snapshot->applications) {
            EXPECT_NE(app.sync, engine::SyncStatus::Unknown) << app.name.toStdString();
            EXPECT_NE(app.sync, engine::SyncStatus::Error)
                << app.name.toStdString() << ": " << (app.error ? app.error->toString().toStdString() : "");
            if (drifted.isEmpty() && app.sync == engine::SyncStatus::OutOfSync && !app.autoSync)
                drifted = app.name;
        }
        ASSERT_FALSE(drifted.isEmpty());
        EXPECT_TRUE(window.connectionSummary().contains(u"3 of 3 connected"_s))
            << window.connectionSummary().toStdString();
        // The tree shows the three clusters, each with its applications.
        EXPECT_EQ(window.tree()->model()->rowCount(), 3);
        // Its Deployment, expanded: the ReplicaSet and Pods the cluster made nest under it, and the
        // details list the Deployment's live conditions.
        const engine::AppStatus* status = snapshot->application(drifted);
        ResourceKey deployment;
        for (const engine::ResourceStatus& resource : status->resources)
            if (resource.key.kind == u"Deployment"_s && !deployment.isValid())
                deployment = resource.key;
        ASSERT_TRUE(deployment.isValid()) << drifted.toStdString();
        ui::FleetModel* model = window.fleetModel();
        ASSERT_TRUE(waitUntil(
            [&] {
                // After a rollout the old ReplicaSet has no Pods left: any with Pods will do.
                const QModelIndex index = model->resourceIndex(drifted, deployment);
                for (int row = 0; row < model->rowCount(index); ++row)
                    if (model->rowCount(model->index(row, 0, index)) > 0)
                        return true;
                return false;
            },
            kDemoWait));
        ASSERT_TRUE(window.selectResource(drifted, deployment));
        window.tree()->expandRecursively(window.tree()->currentIndex());
        ASSERT_TRUE(
            waitUntil([&] { return window.detailsPane()->content().contains(u"Conditions"_s); }, kDemoWait));
        saveScreenshot(&window, u"demo-mainwindow.png"_s);
        ASSERT_TRUE(window.selectApplication(drifted));

        // The diff of the drifted application.
        window.tabs()->setCurrentWidget(window.diffPane());
        ASSERT_TRUE(waitUntil(
            [&] {
                return !window.diffPane()->isBuilding() &&
                       window.diffPane()->view()->document().sectionCount() > 0;
            },
            kDemoWait))
            << window.diffPane()->title().toStdString();
        // The gutter names the demo commit behind the desired lines.
        ASSERT_TRUE(waitUntil([&] { return window.diffPane()->pendingProvenance() == 0; }, kDemoWait));
        const ui::DiffDocument& document = window.diffPane()->view()->document();
        int blamed = 0;
        for (int line = 1; line <= document.section(0).desiredLines.size(); ++line)
            blamed += document.desiredProvenance(0, line).commitId.isEmpty() ? 0 : 1;
        EXPECT_GT(blamed, 0);
        saveScreenshot(&window, u"demo-diff.png"_s);

        // Its history: the demo repository's commits, the newest selected with its diff.
        window.tabs()->setCurrentWidget(window.historyPane());
        QTreeWidget* commits = window.historyPane()->commitsTable();
        ASSERT_TRUE(waitUntil([&] { return commits->topLevelItemCount() > 0; }, kDemoWait));
        commits->setCurrentItem(commits->topLevelItem(0));
        ASSERT_TRUE(
            waitUntil([&] { return window.historyPane()->commitDiffView()->document().sectionCount() > 0; },
                      kDemoWait));
        saveScreenshot(&window, u"demo-history.png"_s);
        window.close();
    }
}
