#include "yaml/documentbuilder_p.h"
#include "yaml/yamlcodec.h"
#include "yaml/yamllog.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

namespace driftdeck::yaml {
namespace {

using detail::ReadFailure;

QString location(const QString& fileName, int line, int column) {
    QString where = fileName.isEmpty() ? QStringLiteral("<input>") : fileName;
    where += QLatin1Char(':') + QString::number(line);
    if (column > 0)
        where += QLatin1Char(':') + QString::number(column);
    return where;
}

Error invalid(const QString& fileName, int line, int column, const QString& reason) {
    return Error::make(Error::Code::Invalid,
                       location(fileName, line, column) + QStringLiteral(": ") + reason);
}

// yaml-cpp's messages are fixed texts, except a few that append what they found; keep the fixed part.
QString syntaxReason(const std::string& message) {
    QString reason = QString::fromStdString(message);
    const qsizetype colon = reason.indexOf(QLatin1String(": "));
    if (colon > 0)
        reason.truncate(colon);
    return reason.isEmpty() ? QStringLiteral("invalid YAML") : reason;
}

QString byteSize(qsizetype bytes) {
    constexpr qsizetype mib = 1024 * 1024;
    return bytes % mib == 0 && bytes > 0 ? QString::number(bytes / mib) + QStringLiteral(" MiB")
                                         : QString::number(bytes) + QStringLiteral(" bytes");
}

struct Chunk {
    QByteArray text;
    int firstLine = 1; // 1-based line of the chunk's first line in the stream
};

// kubectl splits a stream on lines starting with `---` before any YAML parsing, and rejects a
// separator followed by anything but a comment. Doing the same keeps document boundaries equal.
Result<QList<Chunk>> splitDocuments(const QByteArray& text, const QString& fileName,
                                    const ParseOptions& options) {
    QList<Chunk> chunks;
    Chunk current;
    // Checked as each document is cut, so a stream of a million `---` lines costs no more.
    const auto add = [&](Chunk chunk) -> std::optional<Error> {
        if (chunk.text.size() > options.maxDocumentBytes)
            return invalid(fileName, chunk.firstLine, 0,
                           QStringLiteral("document is larger than %1, the limit for one object")
                               .arg(byteSize(options.maxDocumentBytes)));
        if (chunks.size() >= options.maxDocuments)
            return invalid(fileName, chunk.firstLine, 0,
                           QStringLiteral("stream has more than %1 documents, the limit for one file")
                               .arg(options.maxDocuments));
        chunks.append(std::move(chunk));
        return std::nullopt;
    };
    qsizetype pos = 0;
    int line = 1;
    while (pos < text.size()) {
        qsizetype end = text.indexOf('\n', pos);
        const qsizetype next = end < 0 ? text.size() : end + 1;
        const QByteArrayView lineText(text.constData() + pos, next - pos);
        if (lineText.startsWith("---")) {
            const QByteArray rest = lineText.sliced(3).toByteArray().trimmed();
            if (!rest.isEmpty() && rest.front() != '#')
                return invalid(fileName, line, 0, QStringLiteral("invalid document separator"));
            if (!current.text.isEmpty()) {
                if (auto error = add(std::move(current)))
                    return *error;
            }
            current = Chunk{};
            current.firstLine = line + 1;
        } else if (lineText.startsWith("%")) {
            // go-yaml wants `---` after a directive, but kubectl has already cut the stream there.
            return invalid(fileName, line, 1,
                           QStringLiteral("YAML directives are not supported (kubectl rejects them)"));
        } else {
            current.text.append(lineText.data(), lineText.size());
        }
        pos = next;
        ++line;
    }
    if (!current.text.isEmpty()) {
        if (auto error = add(std::move(current)))
            return *error;
    }
    return chunks;
}

// Below these a stream is read on the calling thread only.
constexpr qsizetype kParallelBytes = 256 * 1024;
constexpr qsizetype kDocumentsPerWorker = 64;

// One document; a null value stands for an empty document.
Result<Document> readChunk(const Chunk& chunk, const QString& fileName, const ParseOptions& options) {
    const std::string source = chunk.text.toStdString();
    detail::DocumentValue read;
    try {
        read = detail::readDocument(source, options);
    } catch (const ReadFailure& failure) {
        return invalid(fileName, chunk.firstLine + failure.mark.line,
                       failure.withColumn ? failure.mark.column + 1 : 0, failure.reason);
    } catch (const YAML::DeepRecursion& e) {
        // yaml-cpp's guard (2,000 nested calls) can still come first for some shapes of nesting
        return invalid(fileName, chunk.firstLine + std::max(0, e.mark.line), 0,
                       QStringLiteral("maps and lists nest deeper than the YAML reader's recursion limit"));
    } catch (const YAML::Exception& e) {
        const int line = e.mark.is_null() ? chunk.firstLine : chunk.firstLine + e.mark.line;
        const int column = e.mark.is_null() ? 0 : e.mark.column + 1;
        qCDebug(lcYaml) << "syntax error at" << line << column;
        return invalid(fileName, line, column, syntaxReason(e.msg));
    } catch (const std::exception&) {
        return Error::make(Error::Code::Internal,
                           location(fileName, chunk.firstLine, 0) + QStringLiteral(": YAML reader failed"));
    }
    Document document;
    document.value = read.value;
    document.line = chunk.firstLine + read.firstLine;
    const qsizetype breaks = chunk.text.count('\n');
    document.lastLine = chunk.firstLine + int(chunk.text.endsWith('\n') ? breaks - 1 : breaks);
    // yaml-cpp marks an empty value ("- # comment") at the token after it, which for the last
    // value of a document lies past the document's end (found by fuzzing): keep it inside.
    for (auto it = read.pointerLines.cbegin(); it != read.pointerLines.cend(); ++it)
        document.pointerLines.insert(it.key(), std::min(chunk.firstLine + it.value(), document.lastLine));
    return document;
}

} // namespace

Result<QList<Document>> parseStream(const QByteArray& text, const QString& fileName) {
    return parseStream(text, fileName, ParseOptions{});
}

Result<QList<Document>> parseStream(const QByteArray& text, const QString& fileName,
                                    const ParseOptions& options) {
    if (text.size() > options.maxStreamBytes)
        return invalid(fileName, 1, 0,
                       QStringLiteral("stream is larger than %1, the limit for one file")
                           .arg(byteSize(options.maxStreamBytes)));
    auto chunks = splitDocuments(text, fileName, options);
    if (!chunks)
        return chunks.error();
    const qsizetype count = chunks->size();
    std::vector<std::optional<Result<Document>>> results(size_t(count), std::nullopt);
    // Documents are independent once the stream is cut, and yaml-cpp's scanner is the cost:
    // a large stream is read on several threads. Results keep stream order either way.
    const unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
    const auto workers = unsigned(std::min<qsizetype>(
        std::min(hardware, 8u), text.size() >= kParallelBytes ? count / kDocumentsPerWorker : 1));
    if (workers <= 1) {
        for (qsizetype i = 0; i < count; ++i) {
            results[size_t(i)] = readChunk(chunks->at(i), fileName, options);
            if (!results[size_t(i)]->ok())
                break; // the first error is the answer
        }
    } else {
        std::atomic<qsizetype> next{0};
        std::atomic<qsizetype> firstError{count};
        const auto work = [&] {
            for (qsizetype i = next++; i < count && i < firstError.load(); i = next++) {
                results[size_t(i)] = readChunk(chunks->at(i), fileName, options);
                if (!results[size_t(i)]->ok()) {
                    qsizetype seen = firstError.load();
                    while (i < seen && !firstError.compare_exchange_weak(seen, i)) {
                    }
                }
            }
        };
        std::vector<std::thread> threads;
        for (unsigned t = 1; t < workers; ++t)
            threads.emplace_back(work);
        work();
        for (std::thread& thread : threads)
            thread.join();
    }
    QList<Document> documents;
    documents.reserve(count);
    for (auto& result : results) {
        if (!result)
            continue; // after an error, or a document never reached
        if (!result->ok())
            return result->error();
        if (result->value().value.isNull())
            continue; // kubectl skips empty and null documents
        Document document = std::move(result->value());
        document.index = int(documents.size());
        documents.append(std::move(document));
    }
    return documents;
}

Result<QJsonValue> parseDocument(const QByteArray& text, const QString& fileName) {
    return parseDocument(text, fileName, ParseOptions{});
}

Result<QJsonValue> parseDocument(const QByteArray& text, const QString& fileName,
                                 const ParseOptions& options) {
    auto documents = parseStream(text, fileName, options);
    if (!documents)
        return documents.error();
    if (documents->isEmpty())
        return QJsonValue(QJsonValue::Null);
    if (documents->size() > 1)
        return invalid(fileName, documents->at(1).line, 0,
                       QStringLiteral("expected one document, found %1").arg(documents->size()));
    return documents->front().value;
}

} // namespace driftdeck::yaml
