#include "objectstream.h"

#include "manifest/streamobjects.h"
#include "yaml/yamlcodec.h"

#include <QRegularExpression>

namespace driftdeck::cli {

using namespace Qt::StringLiterals;

namespace {

// The YAML reader counts lines from the start of the text it was given; a batch starts later in the
// stream. Its messages begin with "<file>:<line>", so the line is shifted there.
Error shiftLine(Error error, const QString& fileName, int lineOffset) {
    const QString prefix = fileName + u':';
    if (lineOffset == 0 || !error.message.startsWith(prefix))
        return error;
    static const QRegularExpression digits(u"\\d+"_s);
    const QRegularExpressionMatch match =
        digits.match(error.message, prefix.size(), QRegularExpression::NormalMatch,
                     QRegularExpression::AnchorAtOffsetMatchOption);
    if (!match.hasMatch())
        return error;
    const int line = match.captured().toInt() + lineOffset;
    error.message.replace(prefix.size(), match.capturedLength(), QString::number(line));
    return error;
}

// One line, read in pieces: QIODevice::readLine(maxSize) allocates maxSize up front, which for a
// limit as large as a document costs more than the reading. Stops early past `limit` bytes.
QByteArray readLineBounded(QIODevice& device, qsizetype limit) {
    QByteArray line;
    char piece[64 * 1024];
    for (;;) {
        const qint64 n = device.readLine(piece, sizeof piece);
        if (n <= 0)
            break;
        line.append(piece, qsizetype(n));
        if (piece[n - 1] == '\n' || line.size() > limit)
            break;
    }
    return line;
}

class BatchReader {
public:
    BatchReader(const QString& fileName, const ObjectSink& sink)
        : m_fileName(fileName)
        , m_sink(sink) {}

    // `text` starts at line `firstLine` (1-based) of the stream.
    Status read(const QByteArray& text, int firstLine) {
        auto documents = yaml::parseStream(text, m_fileName);
        if (!documents)
            return shiftLine(documents.error(), m_fileName, firstLine - 1);
        for (yaml::Document& document : *documents) {
            document.line += firstLine - 1;
            document.index += m_documentsBefore;
        }
        m_documentsBefore += int(documents->size());
        manifest::RenderResult result;
        const Status appended = manifest::appendObjects(
            *documents,
            [this](const yaml::Document& document) {
                return manifest::DesiredObject::Source{m_fileName, document.index, document.line};
            },
            u"the input"_s, result);
        if (!appended) {
            // The manifest library speaks to renderer settings; here the input is the operator's file.
            Error error = appended.error();
            error.message.replace(u"fix the file or leave it out with the renderer's exclude globs"_s,
                                  u"fix the file or leave that document out"_s);
            return error;
        }
        for (const manifest::DesiredObject& object : std::as_const(result.objects))
            m_sink(object);
        return success();
    }

private:
    QString m_fileName;
    const ObjectSink& m_sink;
    int m_documentsBefore = 0;
};

} // namespace

Status readObjectStream(QIODevice& device, const QString& fileName, const ObjectSink& sink,
                        qsizetype batchBytes) {
    BatchReader reader(fileName, sink);
    QByteArray batch;
    int batchFirstLine = 1;
    int line = 0;         // lines read so far
    int documentLine = 1; // where the current document began, for the size error
    qsizetype documentBytes = 0;
    // readLine blocks on a pipe until a line or the end arrives; empty means the end (atEnd() may
    // answer true on a pipe that is merely waiting for its writer).
    for (;;) {
        const QByteArray text = readLineBounded(device, kMaxDocumentBytes);
        if (text.isEmpty())
            break;
        ++line;
        const bool separator = text.startsWith("---");
        if (separator && batch.size() >= batchBytes) {
            const Status status = reader.read(batch, batchFirstLine);
            if (!status)
                return status;
            batch.clear();
            batchFirstLine = line;
        }
        if (separator) {
            documentLine = line + 1;
            documentBytes = 0;
        }
        batch += text;
        documentBytes += text.size();
        if (documentBytes > kMaxDocumentBytes)
            return Error::make(Error::Code::TooLarge,
                               u"%1:%2: a document larger than %3 MiB; split the input into several "
                               u"documents, one object each"_s.arg(fileName)
                                   .arg(documentLine)
                                   .arg(kMaxDocumentBytes / (1024 * 1024)));
    }
    return reader.read(batch, batchFirstLine);
}

} // namespace driftdeck::cli
