#include "objectstream.h"
#include "testsupport.h"

#include <QBuffer>

#include <gtest/gtest.h>

// The reader behind `health`: batching must not change what is read, nor the line an error names.
namespace driftdeck::cli {
namespace {

using namespace Qt::StringLiterals;

struct Read {
    Status status = success();
    QList<manifest::DesiredObject> objects;
};

Read readAll(const QByteArray& text, qsizetype batchBytes) {
    Read read;
    QBuffer buffer;
    buffer.setData(text);
    buffer.open(QIODevice::ReadOnly);
    read.status = readObjectStream(
        buffer, u"input.yaml"_s,
        [&read](const manifest::DesiredObject& object) { read.objects.append(object); }, batchBytes);
    return read;
}

QByteArray configMaps(int count) {
    QByteArray text;
    for (int i = 0; i < count; ++i)
        text += "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-" + QByteArray::number(i) +
                "\n  namespace: shop\ndata:\n  key: value\n";
    return text;
}

TEST(ObjectStream, BatchSizeDoesNotChangeObjectsOrSources) {
    const QByteArray text = test::readFile(test::testDataPath(u"cli/health-mixed.yaml"_s)) + "---\n" +
                            test::readFile(test::testDataPath(u"cli/health-list.yaml"_s));
    const Read whole = readAll(text, kObjectStreamBatchBytes);
    ASSERT_TRUE(whole.status.ok()) << qPrintable(whole.status.error().message);
    ASSERT_EQ(whole.objects.size(), 8);
    for (const qsizetype batch : {qsizetype(1), qsizetype(100), qsizetype(2000)}) {
        const Read batched = readAll(text, batch);
        ASSERT_TRUE(batched.status.ok()) << batch << ": " << qPrintable(batched.status.error().message);
        EXPECT_EQ(batched.objects, whole.objects) << "batch " << batch;
    }
    EXPECT_EQ(whole.objects.at(5).source.line, 95); // the List after the mixed file's 93 lines and a ---
    EXPECT_EQ(whole.objects.at(5).key.kind, u"Deployment"_s);
}

TEST(ObjectStream, ErrorLineCountsFromTheStartOfTheStream) {
    QByteArray text = configMaps(2000); // 8 lines each
    text += "---\napiVersion: v1\nkind: [\n";
    for (const qsizetype batch : {qsizetype(1), qsizetype(4096), kObjectStreamBatchBytes}) {
        const Read read = readAll(text, batch);
        ASSERT_FALSE(read.status.ok());
        EXPECT_TRUE(read.status.error().message.startsWith(u"input.yaml:16004:"_s))
            << batch << ": " << qPrintable(read.status.error().message);
    }
    const Read notObject = readAll(configMaps(1000) + "---\napiVersion: v1\nmetadata:\n  name: x\n", 512);
    ASSERT_FALSE(notObject.status.ok());
    EXPECT_TRUE(notObject.status.error().message.startsWith(u"input.yaml:8002: document 1000 "_s))
        << qPrintable(notObject.status.error().message);
}

TEST(ObjectStream, ManyDocumentsStreamInOrder) {
    const Read read = readAll(configMaps(20000), 64 * 1024);
    ASSERT_TRUE(read.status.ok()) << qPrintable(read.status.error().message);
    ASSERT_EQ(read.objects.size(), 20000);
    EXPECT_EQ(read.objects.last().key.name, u"cm-19999"_s);
    EXPECT_EQ(read.objects.last().source.line, 19999 * 8 + 2);
    EXPECT_EQ(read.objects.last().source.documentIndex, 19999);
}

// `kubectl get pods -o yaml`: one List document holding every item.
QByteArray podList(int count, const QByteArray& lastItem = {}) {
    QByteArray text = "apiVersion: v1\nitems:\n";
    for (int i = 0; i < count; ++i)
        text += "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: pod-" + QByteArray::number(i) +
                "\n    namespace: shop\n  spec:\n    containers:\n    - image: nginx:1.27\n      name: web\n"
                "  status:\n    phase: Running\n";
    text += lastItem;
    text += "kind: List\nmetadata:\n  resourceVersion: \"\"\n";
    return text;
}

TEST(ObjectStream, LargeListReadItemByItemGivesTheSameObjects) {
    const QByteArray text = configMaps(3) + "---\n" + podList(3000) + "---\n" + configMaps(2);
    const Read whole = readAll(text, kObjectStreamBatchBytes);
    const Read items = readAll(text, 4096);
    ASSERT_TRUE(whole.status.ok()) << qPrintable(whole.status.error().message);
    ASSERT_TRUE(items.status.ok()) << qPrintable(items.status.error().message);
    ASSERT_EQ(whole.objects.size(), 3005);
    EXPECT_EQ(items.objects, whole.objects);
    EXPECT_EQ(items.objects.at(3).source.line, 3 * 8 + 2); // the List's first line, as read whole
    EXPECT_EQ(items.objects.at(3004).source.documentIndex, 5);
}

// Read item by item, the objects before a broken item are already delivered: that is the streaming.
// Read whole, the parser rejects the document before any object of it is seen. Both name one line.
TEST(ObjectStream, LargeListErrorsNameTheSameLine) {
    const QByteArray broken = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: [broken\n";
    const QByteArray text = podList(500, broken); // 11 lines per pod, then line 5503 is "- apiVersion"
    const Read whole = readAll(text, kObjectStreamBatchBytes);
    const Read items = readAll(text, 4096);
    ASSERT_FALSE(whole.status.ok());
    ASSERT_FALSE(items.status.ok());
    EXPECT_EQ(whole.objects.size(), 0);
    EXPECT_EQ(items.objects.size(), 500);
    const QString wholeLine = whole.status.error().message.section(u':', 0, 1);
    EXPECT_EQ(items.status.error().message.section(u':', 0, 1), wholeLine)
        << qPrintable(items.status.error().message);
    EXPECT_TRUE(wholeLine.startsWith(u"input.yaml:550"_s)) << qPrintable(whole.status.error().message);

    const QByteArray nameless = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    namespace: shop\n";
    const Read wholeNameless = readAll(podList(400, nameless), kObjectStreamBatchBytes);
    const Read itemsNameless = readAll(podList(400, nameless), 4096);
    ASSERT_FALSE(wholeNameless.status.ok());
    EXPECT_EQ(itemsNameless.status.error().message, wholeNameless.status.error().message);
    EXPECT_TRUE(wholeNameless.status.error().message.contains(u"item 400 of the list"_s))
        << qPrintable(wholeNameless.status.error().message);
}

TEST(ObjectStream, LargeDocumentWithItemsThatIsNotAListIsAnError) {
    QByteArray text = podList(400);
    text.replace("kind: List\n", "kind: Inventory\n");
    const Read items = readAll(text, 4096);
    ASSERT_FALSE(items.status.ok());
    EXPECT_TRUE(
        items.status.error().message.contains(u"input.yaml:1: document 0 is larger than 4096 bytes"_s))
        << qPrintable(items.status.error().message);
}

} // namespace
} // namespace driftdeck::cli
