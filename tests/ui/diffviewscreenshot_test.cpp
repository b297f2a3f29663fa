// A realistic application diff painted to PNG files, light and dark, for a person to look at:
//   build/dev/tests/ui/test_ui --gtest_filter='DiffViewScreenshot.*'
// writes ui-diffview-light.png and ui-diffview-dark.png to $DRIFTDECK_BINARY_DIR (ctest sets it) or
// the directory of the test executable.
#include "diffview/diffview.h"
#include "yaml/yamlcodec.h"

#include <QCoreApplication>
#include <QDir>
#include <QImage>
#include <QJsonArray>
#include <QTest>

#include <algorithm>
#include <gtest/gtest.h>

using namespace driftdeck;
using namespace Qt::StringLiterals;

namespace {

const char* const kDesiredDeployment = R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: frontend}
  annotations:
    driftdeck.io/note: |
      Serves the shop front end.
      Scaled by the HPA in production.
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ghcr.io/example/web:1.27.2
        args: [--port=8080, --log-level=info]
        env:
        - {name: FEATURE_CHECKOUT, value: "true"}
        - {name: CACHE_TTL, value: "300"}
        resources:
          limits: {cpu: 500m, memory: 256Mi}
          requests: {cpu: 100m, memory: 128Mi}
      - name: metrics
        image: ghcr.io/example/exporter:0.9
)";

const char* const kLiveDeployment = R"(
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: frontend}
  annotations:
    driftdeck.io/note: |
      Serves the shop front end.
      Scaled by the HPA in production.
  managedFields:
  - manager: driftdeck
    operation: Apply
    apiVersion: apps/v1
    time: "2026-11-28T09:12:00Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:metadata: {f:labels: {f:app: {}, f:tier: {}}, f:annotations: {f:driftdeck.io/note: {}}}
      f:spec:
        f:selector: {}
        f:template:
          f:metadata: {f:labels: {f:app: {}}}
          f:spec:
            f:containers:
              'k:{"name":"web"}': {.: {}, f:name: {}, f:args: {}, f:env: {}, f:resources: {}}
              'k:{"name":"metrics"}': {.: {}, f:name: {}, f:image: {}}
  - manager: kubectl-edit
    operation: Update
    apiVersion: apps/v1
    time: "2026-11-30T08:41:00Z"
    fieldsType: FieldsV1
    fieldsV1:
      f:spec:
        f:replicas: {}
        f:template: {f:spec: {f:containers: {'k:{"name":"web"}': {f:image: {}}}}}
spec:
  replicas: 6
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ghcr.io/example/web:1.27.3-hotfix
        args: [--port=8080, --log-level=debug]
        env:
        - {name: FEATURE_CHECKOUT, value: "true"}
        - {name: CACHE_TTL, value: "300"}
        resources:
          limits: {cpu: 500m, memory: 256Mi}
          requests: {cpu: 100m, memory: 128Mi}
      - name: metrics
        image: ghcr.io/example/exporter:0.9
)";

const char* const kDesiredConfig = R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  nginx.conf: |
    server {
      listen 8080;
      location / { proxy_pass http://backend:9000; }
    }
  maxUploadMb: "10"
)";

const char* const kLiveConfig = R"(
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data:
  nginx.conf: |
    server {
      listen 8080;
      location / { proxy_pass http://backend-canary:9000; }
    }
  maxUploadMb: "50"
  debug: "yes"
)";

QJsonObject parse(const char* text) {
    const auto parsed = yaml::parseDocument(QByteArray(text));
    EXPECT_TRUE(parsed.ok());
    return parsed.ok() ? parsed->toObject() : QJsonObject();
}

ui::DiffSection sectionOf(const char* desiredYaml, const char* liveYaml) {
    const QJsonObject live = parse(liveYaml);
    const diff::ObjectDiff compared = diff::compareObjects(
        kubeobj::Object::fromTrustedJson(parse(desiredYaml)), kubeobj::Object::fromTrustedJson(live));
    return ui::makeDiffSection(compared,
                               live.value(u"metadata"_s).toObject().value(u"managedFields"_s).toArray());
}

// As git blame would say: the first commit wrote everything, a later one the image and the args.
QHash<int, ui::Provenance> blame(const QStringList& lines) {
    const ui::Provenance initial{u"3e1f0a2"_s, u"Alice Ops"_s,
                                 QDateTime(QDate(2026, 10, 2), QTime(14, 0), Qt::UTC),
                                 u"3e1f0a2b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f"_s};
    const ui::Provenance bump{u"b7c9d41"_s, u"Bob Builder"_s,
                              QDateTime(QDate(2026, 11, 27), QTime(9, 30), Qt::UTC),
                              u"b7c9d41e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c"_s};
    QHash<int, ui::Provenance> out;
    for (int i = 0; i < lines.size(); ++i)
        out.insert(i + 1,
                   lines.at(i).contains(u"image: ghcr.io/example/web"_s) || lines.at(i).contains(u"args"_s)
                       ? bump
                       : initial);
    return out;
}

QString outputPath(const QString& name) {
    // ctest names the build directory; run alone, the test writes beside its executable (also in it).
    const QString dir = qEnvironmentVariable("DRIFTDECK_BINARY_DIR", QCoreApplication::applicationDirPath());
    return QDir(dir).filePath(name);
}

QPalette darkPalette() {
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2a, 0x2e, 0x32));
    p.setColor(QPalette::WindowText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Base, QColor(0x1b, 0x1e, 0x20));
    p.setColor(QPalette::AlternateBase, QColor(0x23, 0x26, 0x29));
    p.setColor(QPalette::Text, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Button, QColor(0x31, 0x36, 0x3b));
    p.setColor(QPalette::ButtonText, QColor(0xfc, 0xfc, 0xfc));
    p.setColor(QPalette::Highlight, QColor(0x3d, 0xae, 0xe9));
    p.setColor(QPalette::Link, QColor(0x1d, 0x99, 0xf3));
    return p;
}

TEST(DiffViewScreenshot, ApplicationViewInLightAndDarkPalettes) {
    ui::DiffDocument document;
    const int deployment = document.addSection(sectionOf(kDesiredDeployment, kLiveDeployment));
    document.addSection(sectionOf(kDesiredConfig, kLiveConfig));
    const QJsonObject service =
        parse("{apiVersion: v1, kind: Service, metadata: {name: web, namespace: shop},"
              " spec: {ports: [{port: 80, targetPort: 8080}], selector: {app: web}}}");
    document.addSection(ui::makeDiffSection(
        diff::compareObjects(kubeobj::Object::fromTrustedJson(service), kubeobj::Object())));
    document.setDesiredProvenance(deployment, blame(document.section(deployment).desiredLines));
    ASSERT_EQ(document.section(deployment).state, diff::ObjectDiff::State::OutOfSync);
    // Each live line's owner comes from managedFields: kubectl edit changed the replicas.
    const ui::DiffSection& shown = document.section(deployment);
    const qsizetype replicas = shown.liveLines.indexOf(u"  replicas: 6"_s);
    ASSERT_GE(replicas, 0);
    EXPECT_EQ(shown.liveOwners.value(replicas).manager, u"kubectl-edit"_s);
    const auto port = std::find_if(shown.liveLines.cbegin(), shown.liveLines.cend(),
                                   [](const QString& line) { return line.trimmed() == u"- --port=8080"_s; });
    ASSERT_NE(port, shown.liveLines.cend());
    EXPECT_EQ(shown.liveOwners.value(port - shown.liveLines.cbegin()).manager, u"driftdeck"_s);

    ui::DiffView view;
    view.setDocument(document);
    view.resize(1400, 760);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setFocus();
    QTest::keyClick(&view, Qt::Key_N);
    ASSERT_EQ(view.currentChange(), 0);

    for (const auto& [name, palette] :
         {std::pair{u"light"_s, QPalette(QColor(0xef, 0xf0, 0xf1))}, std::pair{u"dark"_s, darkPalette()}}) {
        view.setPalette(palette);
        const QImage image = view.grab().toImage();
        ASSERT_EQ(image.size(), view.size() * view.devicePixelRatio());
        const QString path = outputPath(u"ui-diffview-"_s + name + u".png"_s);
        ASSERT_TRUE(image.save(path)) << path.toStdString();
        std::printf("diff view screenshot: %s\n", qPrintable(path));
        // The palette reached the pixels: the end of an unchanged line is the palette's base colour,
        // a removed line is tinted.
        const int unchanged = 2; // the row after the first fold
        ASSERT_EQ(view.document().displayRow(unchanged).type, ui::DisplayRow::Type::Line);
        ASSERT_TRUE(view.document().rowAt(view.document().displayRow(unchanged)).isContext());
        const QPoint end = view.viewport()->mapTo(
            &view, view.cellRect(unchanged, diff::Side::Left, ui::DiffView::Column::Text).center());
        EXPECT_EQ(image.pixelColor(end.x() + 200, end.y()), palette.color(QPalette::Base));
        const QPoint removed = view.viewport()->mapTo(
            &view, view.cellRect(view.currentRow(), diff::Side::Left, ui::DiffView::Column::Text).center());
        EXPECT_NE(image.pixelColor(removed.x() + 200, removed.y()), palette.color(QPalette::Base));
    }
}

} // namespace
