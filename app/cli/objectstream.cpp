#include "objectstream.h"

#include "manifest/streamobjects.h"
#include "yaml/yamlcodec.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <utility>

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

// The manifest library speaks to renderer settings; here the input is the operator's file.
Error forOperator(Error error) {
    error.message.replace(u"fix the file or leave it out with the renderer's exclude globs"_s,
                          u"fix the file or leave that document out"_s);
    return error;
}

bool isSeparator(const QByteArray& line) {
    return line.startsWith("---");
}

// A line at column 0 that is YAML content, not indentation, a comment or blank.
bool isColumnZeroContent(const QByteArray& line) {
    return !line.isEmpty() && line.front() != ' ' && line.front() != '\t' && line.front() != '#' &&
           line.front() != '\n' && line.front() != '\r';
}

bool startsItem(const QByteArray& line) {
    return line.startsWith("- ") || line.trimmed() == "-";
}

bool isItemsKey(const QByteArray& line) {
    return line.startsWith("items:") && line.trimmed() == "items:";
}

// kubectl's List shape: a column-0 `items:` whose first content line is a column-0 `- ` item.
bool hasListShape(const QByteArray& text) {
    bool afterItemsKey = false;
    for (qsizetype pos = 0; pos < text.size();) {
        qsizetype end = text.indexOf('\n', pos);
        end = end < 0 ? text.size() : end + 1;
        const QByteArray line = text.sliced(pos, end - pos);
        pos = end;
        if (!afterItemsKey) {
            afterItemsKey = isItemsKey(line);
            continue;
        }
        if (isColumnZeroContent(line) || line.trimmed().startsWith('-'))
            return startsItem(line);
    }
    return false;
}

// Cuts the stream into batches of whole documents for the YAML reader. A document larger than a
// batch that has kubectl's List shape is read item by item instead (each item is parsed on its own,
// the rest of the document with `items: []`), so `kubectl get -o yaml` of a large cluster does not
// have to fit in memory at once. Objects, sources and errors are the same as reading it whole, except
// that an alias cannot refer to an anchor in another item (kubectl never writes anchors).
class ObjectStreamReader {
public:
    ObjectStreamReader(const QString& fileName, const ObjectSink& sink, qsizetype batchBytes)
        : m_fileName(fileName)
        , m_sink(sink)
        , m_batchBytes(batchBytes) {}

    Status addLine(const QByteArray& line) {
        ++m_line;
        if (isSeparator(line)) {
            if (const Status ended = endDocument(); !ended)
                return ended;
            m_document = line;
            m_documentFirstLine = m_line;
            return success();
        }
        if (m_phase != Phase::Whole)
            return addItemModeLine(line, m_line);
        m_document += line;
        if (m_document.size() > kMaxDocumentBytes)
            return tooLarge(m_documentFirstLine);
        if (!m_shapeChecked && m_document.size() > m_batchBytes) {
            m_shapeChecked = true;
            if (hasListShape(m_document))
                return enterItemMode();
        }
        return success();
    }

    Status finish() {
        if (const Status ended = endDocument(); !ended)
            return ended;
        return parseBatch();
    }

private:
    enum class Phase { Whole, BeforeItems, InItems, AfterItems };

    Error tooLarge(int line) const {
        return Error::make(Error::Code::TooLarge,
                           u"%1:%2: a document larger than %3 MiB; split the input into "
                           u"several documents, one object each"_s.arg(m_fileName)
                               .arg(line)
                               .arg(kMaxDocumentBytes / (1024 * 1024)));
    }

    Status endDocument() {
        m_shapeChecked = false;
        if (m_phase != Phase::Whole)
            return finishItemMode();
        if (m_batch.isEmpty())
            m_batchFirstLine = m_documentFirstLine;
        m_batch += m_document;
        m_document.clear();
        return m_batch.size() >= m_batchBytes ? parseBatch() : success();
    }

    Status appendDocuments(const QList<yaml::Document>& documents) {
        manifest::RenderResult result;
        const Status appended = manifest::appendObjects(
            documents,
            [this](const yaml::Document& document) {
                return manifest::DesiredObject::Source{m_fileName, document.index, document.line};
            },
            u"the input"_s, result);
        if (!appended)
            return forOperator(appended.error());
        for (const manifest::DesiredObject& object : std::as_const(result.objects))
            m_sink(object);
        return success();
    }

    // The YAML reader counts lines and documents from the start of the text it is given.
    Status parseBatch() {
        if (m_batch.isEmpty())
            return success();
        auto documents = yaml::parseStream(m_batch, m_fileName);
        m_batch.clear();
        if (!documents)
            return shiftLine(documents.error(), m_fileName, m_batchFirstLine - 1);
        for (yaml::Document& document : *documents) {
            document.line += m_batchFirstLine - 1;
            document.index += m_documentsBefore;
        }
        m_documentsBefore += int(documents->size());
        return appendDocuments(*documents);
    }

    Status enterItemMode() {
        if (const Status parsed = parseBatch(); !parsed) // earlier documents first, in order
            return parsed;
        m_phase = Phase::BeforeItems;
        const QByteArray text = std::exchange(m_document, {});
        int line = m_documentFirstLine;
        for (qsizetype pos = 0; pos < text.size(); ++line) {
            qsizetype end = text.indexOf('\n', pos);
            end = end < 0 ? text.size() : end + 1;
            if (const Status added = addItemModeLine(text.sliced(pos, end - pos), line); !added)
                return added;
            pos = end;
        }
        return success();
    }

    // The header keeps one line for every line of the document, so its errors name the right line.
    Status addItemModeLine(const QByteArray& line, int lineNumber) {
        switch (m_phase) {
        case Phase::BeforeItems:
            if (m_contentLine == 0 && isColumnZeroContent(line) && !isSeparator(line))
                m_contentLine = lineNumber;
            if (isItemsKey(line)) {
                m_header += "items: []\n";
                m_phase = Phase::InItems;
            } else {
                m_header += line;
            }
            break;
        case Phase::InItems:
            if (startsItem(line)) {
                if (const Status flushed = flushItem(); !flushed)
                    return flushed;
                m_item = line;
                m_itemFirstLine = lineNumber;
                m_header += '\n';
            } else if (isColumnZeroContent(line)) {
                if (const Status flushed = flushItem(); !flushed)
                    return flushed;
                m_phase = Phase::AfterItems;
                m_header += line;
            } else if (m_item.isEmpty()) {
                m_header += line; // a comment or blank line before the first item
            } else {
                m_item += line;
                m_header += '\n';
                if (m_item.size() > kMaxDocumentBytes)
                    return tooLarge(m_itemFirstLine);
            }
            break;
        case Phase::AfterItems:
            m_header += line;
            break;
        case Phase::Whole:
            break;
        }
        return success();
    }

    Status flushItem() {
        if (m_item.isEmpty())
            return success();
        const auto parsed = yaml::parseStream(std::exchange(m_item, {}), m_fileName);
        if (!parsed)
            return shiftLine(parsed.error(), m_fileName, m_itemFirstLine - 1);
        // Read as the list it belongs to, so sources and errors are those of reading it whole.
        QJsonObject list;
        list.insert(u"kind"_s, u"List"_s);
        list.insert(u"items"_s, parsed->isEmpty() ? QJsonArray{} : parsed->first().value.toArray());
        const Status appended = appendDocuments({yaml::Document{list, m_documentsBefore, m_contentLine}});
        const int index = m_itemIndex++;
        if (!appended) {
            Error error = appended.error();
            error.message.replace(u"item 0 of the list"_s, u"item %1 of the list"_s.arg(index));
            return error;
        }
        return success();
    }

    Status finishItemMode() {
        if (const Status flushed = flushItem(); !flushed)
            return flushed;
        const auto header = yaml::parseStream(std::exchange(m_header, {}), m_fileName);
        if (!header)
            return shiftLine(header.error(), m_fileName, m_documentFirstLine - 1);
        const QJsonObject object = header->isEmpty() ? QJsonObject{} : header->first().value.toObject();
        if (!object.value("kind"_L1).toString().endsWith("List"_L1))
            return Error::make(Error::Code::Invalid,
                               u"%1:%2: document %3 is larger than %4 bytes and has top-level items, but its "
                               u"kind is not a List; split it into smaller documents"_s.arg(m_fileName)
                                   .arg(m_contentLine)
                                   .arg(m_documentsBefore)
                                   .arg(m_batchBytes));
        ++m_documentsBefore;
        m_phase = Phase::Whole;
        m_contentLine = 0;
        m_itemIndex = 0;
        return success();
    }

    QString m_fileName;
    const ObjectSink& m_sink;
    qsizetype m_batchBytes;
    int m_line = 0;            // lines read so far
    int m_documentsBefore = 0; // non-empty documents already read, for document indexes
    QByteArray m_batch;        // whole documents waiting for the YAML reader
    int m_batchFirstLine = 1;
    QByteArray m_document; // the document being read, from its `---` line
    int m_documentFirstLine = 1;
    bool m_shapeChecked = false;
    // Reading one large List item by item:
    Phase m_phase = Phase::Whole;
    QByteArray m_header; // the document without its items, one line for each of its lines
    int m_contentLine = 0;
    QByteArray m_item;
    int m_itemFirstLine = 0;
    int m_itemIndex = 0;
};

} // namespace

Status readObjectStream(QIODevice& device, const QString& fileName, const ObjectSink& sink,
                        qsizetype batchBytes) {
    ObjectStreamReader reader(fileName, sink, batchBytes);
    // readLine blocks on a pipe until a line or the end arrives; empty means the end (atEnd() may
    // answer true on a pipe that is merely waiting for its writer).
    for (;;) {
        const QByteArray line = readLineBounded(device, kMaxDocumentBytes);
        if (line.isEmpty())
            break;
        if (const Status added = reader.addLine(line); !added)
            return added;
    }
    return reader.finish();
}

Status readObjectFile(const QString& path, const ObjectSink& sink) {
    QFile file;
    const bool isStdin = path == QLatin1String("-");
    const bool opened = isStdin ? file.open(stdin, QIODevice::ReadOnly) : [&] {
        file.setFileName(path);
        return file.open(QIODevice::ReadOnly);
    }();
    if (!opened)
        return Error::make(
            Error::Code::NotFound,
            QStringLiteral("cannot read %1: %2; check the path").arg(path, file.errorString()));
    return readObjectStream(file, isStdin ? QStringLiteral("<stdin>") : path, sink);
}

} // namespace driftdeck::cli
