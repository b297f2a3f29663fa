#pragma once

// The main window's end-to-end fixture: kubesim clusters in the process, a Git repository built
// here, the engine on its own thread. shop (cluster c0) and blog (c1, tagged production) drifted;
// far's cluster is unreachable.
#include "diff/pairing.h"
#include "diffview/diffview.h"
#include "enginetestsupport.h"
#include "fleet/appdiffpane.h"
#include "fleet/detailspane.h"
#include "fleet/enginecontroller.h"
#include "fleet/fleetfiltermodel.h"
#include "fleet/fleetmodel.h"
#include "fleet/historypane.h"
#include "fleet/mainwindow.h"
#include "fleet/syncdialog.h"
#include "testsupport.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCoreApplication>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTest>
#include <QTreeView>
#include <QTreeWidget>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using namespace driftdeck::engine;
using namespace driftdeck::engine::test;
using driftdeck::test::waitUntil;
using driftdeck::ui::FleetModel;
using driftdeck::ui::MainWindow;
using driftdeck::ui::SyncDialog;

namespace driftdeck::test::mainwindow {

constexpr std::chrono::seconds kWait(30);

// Puts objects on a cluster as an earlier sync would have (driftdeck's manager, tracking id).
inline void seed(kube::ClusterClient* client, const QString& app, const QString& value,
                 bool withService = true) {
    for (QJsonObject object : appObjects(app, value)) {
        if (!withService && object.value(u"kind").toString() == u"Service"_s)
            continue;
        QJsonObject metadata = object.value(u"metadata").toObject();
        metadata.insert(u"namespace"_s, u"default"_s);
        QJsonObject placed = object;
        placed.insert(u"metadata"_s, metadata);
        metadata.insert(u"annotations"_s,
                        QJsonObject{{u"driftdeck.io/tracking-id"_s,
                                     diff::trackingId(app, ResourceKey::fromObject(placed))}});
        object.insert(u"metadata"_s, metadata);
        ASSERT_TRUE(applyAs(client, object, u"driftdeck"_s)) << app.toStdString();
    }
}

// Watches the window's fleet model and its filter proxy for the whole test: any broken model
// contract (rows, parents, signals) aborts the test. Owned by the models, so gone with them.
inline void attachModelTesters(MainWindow* window) {
    new QAbstractItemModelTester(window->fleetModel(), QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 window->fleetModel());
    new QAbstractItemModelTester(window->filterModel(), QAbstractItemModelTester::FailureReportingMode::Fatal,
                                 window->filterModel());
}

inline QString outputDir() {
    const QString dir = qEnvironmentVariable("DRIFTDECK_BINARY_DIR");
    return dir.isEmpty() ? QCoreApplication::applicationDirPath() : dir;
}

const ResourceKey kShopConfig{QString(), u"ConfigMap"_s, u"default"_s, u"shop-config"_s};
const ResourceKey kShopService{QString(), u"Service"_s, u"default"_s, u"shop"_s};

class MainWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(fleet.start(2, true));
        ASSERT_TRUE(history.isValid());
        fleet.writeApp(u"shop"_s, u"bonjour"_s);
        fleet.writeApp(u"blog"_s, u"v2"_s);
        fleet.writeApp(u"far"_s, u"hola"_s);
        fleet.repo().commitAll(u"three applications"_s);
        fleet.repo().push();
        // shop drifted: its ConfigMap says hello where Git says bonjour, its Service is missing.
        seed(fleet.client(0), u"shop"_s, u"hello"_s, false);
        // blog, on the production cluster, drifted too.
        seed(fleet.client(1), u"blog"_s, u"v1"_s);
    }

    void startWindow() {
        workspace::Workspace ws =
            fleet.workspace({fleet.appSpec(u"shop"_s, u"c0"_s), fleet.appSpec(u"blog"_s, u"c1"_s),
                             fleet.appSpec(u"far"_s, u"dead"_s)});
        ws.clusters[1].tags = QStringList{u"production"_s};
        EngineSettings settings = fleet.settings();
        settings.autoSync = false;
        settings.historyPath = history.filePath(u"history.sqlite"_s);
        window = std::make_unique<MainWindow>();
        attachModelTesters(window.get());
        QObject::connect(window.get(), &MainWindow::operationFinished,
                         [this](const OperationResult& result) { finished.append(result); });
        window->startEngine(ws, settings);
        window->show();
    }

    const AppStatus* app(const QString& name) const {
        return window->fleetModel()->applicationAt(window->fleetModel()->applicationIndex(name));
    }
    const ResourceStatus* resource(const QString& application, const ResourceKey& key) const {
        return window->fleetModel()->resourceAt(window->fleetModel()->resourceIndex(application, key));
    }

    OperationResult waitForOperation(quint64 count) {
        EXPECT_TRUE(waitUntil([&] { return quint64(finished.size()) >= count; }, std::chrono::seconds(90)));
        return finished.isEmpty() ? OperationResult() : finished.last();
    }

    void saveScreenshot(const QString& name) {
        const QString path = QDir(outputDir()).filePath(name);
        EXPECT_TRUE(window->grab().save(path)) << path.toStdString();
    }

    TestFleet fleet;
    QTemporaryDir history;
    std::unique_ptr<MainWindow> window;
    QList<OperationResult> finished;
};

} // namespace driftdeck::test::mainwindow
