#include "provenance/desiredprovenance.h"

#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonObject>

#include <algorithm>
#include <optional>
#include <vector>

namespace driftdeck::provenance {

using namespace Qt::StringLiterals;

namespace {

QList<QByteArray> splitLines(const QByteArray& text) {
    if (text.isEmpty())
        return {};
    QList<QByteArray> lines = text.split('\n');
    if (text.endsWith('\n'))
        lines.removeLast();
    return lines;
}

int indentOf(const QByteArray& line) {
    int indent = 0;
    while (indent < line.size() && line.at(indent) == ' ')
        ++indent;
    return indent;
}

// RFC 6901: "/a~1b/0" -> {"a/b", "0"}; "" is the whole document.
QStringList pointerSegments(const QString& pointer) {
    QStringList segments = pointer.split(u'/');
    segments.removeFirst();
    for (QString& segment : segments)
        segment.replace("~1"_L1, "/"_L1).replace("~0"_L1, "~"_L1);
    return segments;
}

std::optional<QJsonValue> valueAt(const QJsonValue& root, const QString& pointer) {
    if (!pointer.isEmpty() && !pointer.startsWith(u'/'))
        return std::nullopt;
    QJsonValue current = root;
    if (pointer.isEmpty())
        return current;
    for (const QString& segment : pointerSegments(pointer)) {
        if (current.isObject()) {
            const QJsonObject object = current.toObject();
            if (!object.contains(segment))
                return std::nullopt;
            current = object.value(segment);
        } else if (current.isArray()) {
            bool ok = false;
            const qsizetype index = segment.toLongLong(&ok);
            const QJsonArray array = current.toArray();
            if (!ok || index < 0 || index >= array.size() || segment != QString::number(index))
                return std::nullopt;
            current = array.at(index);
        } else {
            return std::nullopt;
        }
    }
    return current;
}

bool isContainer(const QJsonValue& value) {
    return (value.isObject() && !value.toObject().isEmpty()) ||
           (value.isArray() && !value.toArray().isEmpty());
}

QString identity(const QJsonObject& object) {
    return object.value("kind"_L1).toString() + u'/' +
           object.value("metadata"_L1).toObject().value("name"_L1).toString();
}

bool isListOf(const QJsonValue& document) {
    const QJsonObject object = document.toObject();
    return object.value("kind"_L1).toString().endsWith("List"_L1) && object.value("items"_L1).isArray();
}

} // namespace

QString LineProvenance::toText() const {
    if (isNull())
        return {};
    return shortId + u' ' + author + u' ' + time.toString(u"yyyy-MM-dd"_s);
}

struct DesiredProvenance::Data {
    kubeobj::Object desired;
    QString prefix;                  // "/items/3" for an item of a List document, else ""
    QHash<QString, int> sourceLines; // source pointer -> 1-based line (empty for tool output)
    std::vector<int> starts;         // the distinct recorded lines, sorted: where values begin
    int first = 0;                   // the object's lines in the file
    int last = 0;
    QList<git::BlameLine> blame; // index = line - 1
    QList<QByteArray> text;      // the file's lines, for the extent of a value
    LineProvenance perObject;

    // The newest commit among lines [from, to].
    LineProvenance newest(int from, int to) const {
        const git::BlameLine* best = nullptr;
        for (int line = std::max(1, from); line <= std::min(to, int(blame.size())); ++line) {
            const git::BlameLine& candidate = blame.at(line - 1);
            if (!best || candidate.authorTime > best->authorTime)
                best = &candidate;
        }
        LineProvenance out;
        if (!best)
            return out;
        out.commitId = best->commitId;
        out.shortId = best->commitId.left(7);
        out.author = best->authorName;
        out.time = best->authorTime;
        out.summary = best->summary;
        out.exact = !best->depthLimited;
        return out;
    }

    // The last line of the value starting at `start`: up to the next value's line, without the
    // blank lines and the comments (at the value's indent or less) that lead to the next one.
    int extentEnd(int start) const {
        const auto next = std::upper_bound(starts.begin(), starts.end(), start);
        int end = next == starts.end() ? last : std::min(last, *next - 1);
        const int indent = indentOf(text.value(start - 1));
        while (end > start) {
            const QByteArray line = text.value(end - 1);
            const QByteArray trimmed = line.trimmed();
            if (!trimmed.isEmpty() && !(trimmed.startsWith('#') && indentOf(line) <= indent))
                break;
            --end;
        }
        return end;
    }

    LineProvenance ofPointer(const QString& pointer) const {
        const auto found = sourceLines.constFind(prefix + pointer);
        const std::optional<QJsonValue> value = valueAt(desired.json(), pointer);
        if (found == sourceLines.constEnd() || !value)
            return perObject;
        const int start = *found;
        // A map or list is answered by its key's line: its own lines have their own answers.
        LineProvenance out = newest(start, isContainer(*value) ? start : extentEnd(start));
        out.sourceLine = start;
        return out;
    }
};

DesiredProvenance::DesiredProvenance()
    : d(std::make_shared<const Data>()) {}
DesiredProvenance::DesiredProvenance(const DesiredProvenance&) = default;
DesiredProvenance& DesiredProvenance::operator=(const DesiredProvenance&) = default;
DesiredProvenance::~DesiredProvenance() = default;

Result<DesiredProvenance> DesiredProvenance::build(const kubeobj::Object& desired,
                                                   const manifest::DesiredObject::Source& source,
                                                   const QByteArray& fileText,
                                                   const QList<git::BlameLine>& blame) {
    auto data = std::make_shared<Data>();
    data->desired = desired;
    data->text = splitLines(fileText);
    const int lineCount = int(data->text.size());
    const auto inconsistent = [&](const QString& what) {
        return Error::make(Error::Code::Invalid,
                           u"cannot tell where %1 came from: %2 (give the file text and its blame at the "
                           u"revision that was rendered)"_s.arg(desired.key().toString(), what));
    };
    if (blame.size() != lineCount)
        return inconsistent(u"blame of %1 has %2 lines but the file text has %3"_s.arg(
            source.file, QString::number(blame.size()), QString::number(lineCount)));
    data->blame.resize(lineCount);
    for (const git::BlameLine& line : blame) {
        if (line.line < 1 || line.line > lineCount)
            return inconsistent(
                u"blame of %1 names line %2, beyond the file"_s.arg(source.file).arg(line.line));
        data->blame[line.line - 1] = line;
    }

    data->first = 1;
    data->last = lineCount;
    // Tool output: the document index counts the tool's output, not this file's documents.
    if (source.line > 0) {
        yaml::ParseOptions options;
        options.recordLines = true;
        Result<QList<yaml::Document>> documents = yaml::parseStream(fileText, source.file, options);
        if (!documents)
            return documents.error();
        const auto document =
            std::find_if(documents->cbegin(), documents->cend(),
                         [&](const yaml::Document& doc) { return doc.index == source.documentIndex; });
        if (document == documents->cend())
            return inconsistent(u"%1 has no document %2"_s.arg(source.file).arg(source.documentIndex));
        data->first = document->line;
        data->last = document->lastLine;
        const QString wanted = identity(desired.json());
        if (isListOf(document->value) && identity(document->value.toObject()) != wanted) {
            const QJsonArray items = document->value.toObject().value("items"_L1).toArray();
            qsizetype item = 0;
            while (item < items.size() && identity(items.at(item).toObject()) != wanted)
                ++item;
            if (item == items.size())
                return inconsistent(u"the List in document %1 of %2 holds no %3"_s.arg(
                    QString::number(source.documentIndex), source.file, wanted));
            data->prefix = u"/items/"_s + QString::number(item);
            const QString next = u"/items/"_s + QString::number(item + 1);
            data->first = document->pointerLines.value(data->prefix, data->first);
            data->last =
                document->pointerLines.contains(next) ? document->pointerLines.value(next) - 1 : data->last;
        } else if (identity(document->value.toObject()) != wanted) {
            return inconsistent(u"document %1 of %2 is %3"_s.arg(
                QString::number(source.documentIndex), source.file, identity(document->value.toObject())));
        }
        for (auto it = document->pointerLines.cbegin(); it != document->pointerLines.cend(); ++it) {
            if (it.value() < data->first || it.value() > data->last)
                continue;
            data->sourceLines.insert(it.key(), it.value());
            data->starts.push_back(it.value());
        }
        std::sort(data->starts.begin(), data->starts.end());
        data->starts.erase(std::unique(data->starts.begin(), data->starts.end()), data->starts.end());
    }
    data->perObject = data->newest(data->first, data->last);
    data->perObject.exact = false;
    DesiredProvenance out;
    out.d = std::move(data);
    return out;
}

Result<DesiredProvenance> DesiredProvenance::build(const kubeobj::Object& desired,
                                                   const manifest::DesiredObject::Source& source,
                                                   const BlamedFile& file) {
    return build(desired, source, file.text, file.lines);
}

Result<BlamedFile> blameSourceFile(const git::GitRepository& repository, const QString& revision,
                                   const QString& appPath, const QString& file,
                                   const git::ReadLimits& limits) {
    // The renderer's path is relative to the application directory; '..' and absolute paths are
    // refused by the Git layer, which sees the joined path.
    const QString path = appPath.isEmpty() || appPath == "."_L1 ? file : appPath + u'/' + file;
    Result<QByteArray> text = repository.readFile(revision, path, limits);
    if (!text)
        return text.error();
    Result<QList<git::BlameHunk>> hunks = repository.blame(revision, path, limits);
    if (!hunks)
        return hunks.error();
    return BlamedFile{path, std::move(*text), git::blameLines(*hunks)};
}

QList<LineProvenance> DesiredProvenance::lines() const {
    const QStringList pointers = yaml::canonicalLinePointers(d->desired.json());
    QList<LineProvenance> out;
    out.reserve(pointers.size());
    QHash<QString, LineProvenance> seen; // continuation lines repeat their value's pointer
    for (const QString& pointer : pointers) {
        auto found = seen.constFind(pointer);
        if (found == seen.constEnd())
            found = seen.insert(pointer, d->ofPointer(pointer));
        out.append(*found);
    }
    return out;
}

LineProvenance DesiredProvenance::ofPointer(const QString& pointer) const {
    return d->ofPointer(pointer);
}

LineProvenance DesiredProvenance::perObject() const {
    return d->perObject;
}

Result<QList<LineProvenance>> provenanceOfLines(const kubeobj::Object& desired,
                                                const manifest::DesiredObject::Source& source,
                                                const QByteArray& fileText,
                                                const QList<git::BlameLine>& blame) {
    Result<DesiredProvenance> built = DesiredProvenance::build(desired, source, fileText, blame);
    if (!built)
        return built.error();
    return built->lines();
}

Result<LineProvenance> provenanceOfPointer(const QString& pointer, const kubeobj::Object& desired,
                                           const manifest::DesiredObject::Source& source,
                                           const QByteArray& fileText, const QList<git::BlameLine>& blame) {
    Result<DesiredProvenance> built = DesiredProvenance::build(desired, source, fileText, blame);
    if (!built)
        return built.error();
    return built->ofPointer(pointer);
}

} // namespace driftdeck::provenance
