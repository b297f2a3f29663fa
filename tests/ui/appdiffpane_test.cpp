// The application diff pane: a held document (a comparison with a revision) stays while the
// selection stays, whatever snapshots arrive meanwhile; another selection brings the live diff back.
#include "fleet/appdiffpane.h"
#include "testsupport.h"

#include <QCoreApplication>

#include <gtest/gtest.h>

using namespace Qt::StringLiterals;
using namespace driftdeck;
using driftdeck::ui::AppDiffPane;
using driftdeck::ui::DiffDocument;

namespace {

engine::AppStatus drifted(const QString& name, quint64 compareCount) {
    engine::AppStatus app;
    app.name = name;
    app.commitId = u"c1"_s;
    app.compareCount = compareCount;
    engine::ResourceStatus resource;
    resource.key = ResourceKey{QString(), u"ConfigMap"_s, u"default"_s, u"settings"_s};
    resource.diff.key = resource.key;
    resource.diff.state = diff::ObjectDiff::State::OutOfSync;
    resource.diff.desired =
        kubeobj::Object::fromTrustedJson(QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                     {u"kind"_s, u"ConfigMap"_s},
                                                     {u"data"_s, QJsonObject{{u"k"_s, u"git"_s}}}});
    resource.diff.live =
        kubeobj::Object::fromTrustedJson(QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                     {u"kind"_s, u"ConfigMap"_s},
                                                     {u"data"_s, QJsonObject{{u"k"_s, u"live"_s}}}});
    app.resources.append(resource);
    return app;
}

bool shows(const AppDiffPane& pane, const QString& text) {
    return pane.title().contains(text);
}

} // namespace

TEST(AppDiffPane, AHeldRevisionComparisonOutlivesSnapshotsUntilTheSelectionChanges) {
    AppDiffPane pane;
    pane.showApplication(drifted(u"shop"_s, 1));
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return shows(pane, u"Git (left) against live"_s); }));

    pane.showDocument(u"shop: revision abc (left) against live now"_s, DiffDocument(), true);
    EXPECT_TRUE(pane.isHolding());
    const quint64 held = pane.generation();
    // Snapshots of the same selection (compared again: another compare count) keep it.
    pane.showApplication(drifted(u"shop"_s, 2));
    pane.showApplication(drifted(u"shop"_s, 3));
    QCoreApplication::processEvents();
    EXPECT_TRUE(shows(pane, u"revision abc"_s)) << pane.title().toStdString();
    EXPECT_EQ(pane.generation(), held) << "a late revision result must still be shown";

    // Another resource of the application: the live diff again.
    pane.showApplication(drifted(u"shop"_s, 3),
                         ResourceKey{QString(), u"ConfigMap"_s, u"default"_s, u"settings"_s});
    EXPECT_FALSE(pane.isHolding());
    EXPECT_NE(pane.generation(), held) << "a revision result arriving now is dropped";
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return shows(pane, u"ConfigMap settings — Git (left)"_s); }))
        << pane.title().toStdString();

    // Without hold, the next snapshot replaces a shown document.
    pane.showDocument(u"a note"_s, DiffDocument());
    pane.showApplication(drifted(u"shop"_s, 4),
                         ResourceKey{QString(), u"ConfigMap"_s, u"default"_s, u"settings"_s});
    ASSERT_TRUE(driftdeck::test::waitUntil([&] { return shows(pane, u"Git (left)"_s); }))
        << pane.title().toStdString();
}
