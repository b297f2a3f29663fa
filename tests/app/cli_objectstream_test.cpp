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

} // namespace
} // namespace driftdeck::cli
