#include "yaml/aliasbudget_p.h"
#include "yaml/documentbuilder_p.h"
#include "yaml/simpleblock_p.h"
#include "yaml/yamlscalar_p.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_map>
#include <vector>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

namespace driftdeck::yaml::detail {
namespace {

[[noreturn]] void fail(const YAML::Mark& mark, QString reason, bool withColumn = true) {
    throw ReadFailure{mark, std::move(reason), withColumn};
}

// Keys are structure, not values, but a pathological key must not flood a message.
QString shortKey(const QString& key) {
    return key.size() > 60 ? key.left(57) + QStringLiteral("...") : key;
}

// yaml-cpp turns the escapes \N and \_ into the single bytes 0x85 and 0xA0 instead of UTF-8;
// put U+0085 and U+00A0 back where such a byte does not belong to a valid UTF-8 sequence.
std::string repairedEscapes(const std::string& value) {
    const auto stray = [](unsigned char c) { return c == 0x85 || c == 0xA0; };
    if (std::none_of(value.begin(), value.end(),
                     [&](char c) { return stray(static_cast<unsigned char>(c)); }))
        return value;
    std::string out;
    out.reserve(value.size() + 4);
    for (size_t i = 0; i < value.size();) {
        const auto c = static_cast<unsigned char>(value[i]);
        const size_t length = c < 0x80           ? 1
                              : (c >> 5) == 0x6  ? 2
                              : (c >> 4) == 0xE  ? 3
                              : (c >> 3) == 0x1E ? 4
                                                 : 0;
        bool valid = length > 0 && i + length <= value.size();
        for (size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(value[i + k]) >> 6) == 0x2;
        if (valid) {
            out.append(value, i, length);
            i += length;
        } else {
            if (stray(c)) {
                out.push_back(char(0xC2));
                out.push_back(char(c));
            } else {
                out.push_back(char(c));
            }
            ++i;
        }
    }
    return out;
}

struct Node {
    bool scalar = false;
    Scalar value;    // when scalar
    QJsonValue json; // when a map or a sequence
    YAML::Mark mark;
    std::uint64_t size = 1; // nodes go-yaml would decode for this one, aliases expanded
    int depth = 0;          // levels of maps and lists inside, aliases expanded (a scalar has 0)
};

// The entries of a map being read. QJsonObject keeps its keys sorted, so inserting keys in
// descending order one by one costs quadratic time; entries are gathered here and inserted in
// ascending order when the map ends.
struct MapEntries {
    QList<std::pair<QString, QJsonValue>> items;
    QHash<QString, qsizetype> index;

    bool contains(const QString& key) const { return index.contains(key); }
    void insert(const QString& key, const QJsonValue& value) {
        const auto it = index.constFind(key);
        if (it != index.cend()) {
            items[*it].second = value;
            return;
        }
        index.insert(key, items.size());
        items.append({key, value});
    }
    QJsonObject toObject() {
        std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        QJsonObject out;
        for (const auto& [key, value] : std::as_const(items))
            out.insert(key, value);
        return out;
    }
};

// Builds one document's QJsonValue from yaml-cpp's events, applying kubectl's conversions
// (YAML 1.1 scalars, merge keys, key stringification) and rejecting duplicate keys.
class TreeBuilder final : public YAML::EventHandler {
public:
    TreeBuilder(const ParseOptions& options, const std::string& source)
        : m_options(options)
        , m_source(source) {}

    bool hasRoot() const { return m_hasRoot; }
    const QJsonValue& root() const { return m_root; }
    const YAML::Mark& firstMark() const { return m_firstMark; }
    QHash<QString, int>& pointerLines() { return m_lines; }

    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}

    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        Node node;
        node.scalar = true;
        node.value.kind = Scalar::Kind::Null;
        node.mark = mark;
        countDecodes(mark, 1, 0);
        complete(std::move(node), anchor, false);
    }

    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        const auto it = m_anchors.find(anchor);
        if (it == m_anchors.end())
            fail(mark, QStringLiteral("alias refers to a node that contains it"));
        Node node = it->second;
        node.mark = mark;
        const std::uint64_t expanded = node.size;
        node.size = 1 + expanded; // the alias node, then everything it stands for
        countDecodes(mark, node.size, expanded);
        complete(std::move(node), 0, true);
    }

    void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                  const std::string& value) override {
        Node node;
        node.scalar = true;
        if (tag == "!")
            checkQuotedSource(mark);
        node.value = resolveTagged(mark, tag, repairedEscapes(value));
        node.mark = mark;
        countDecodes(mark, 1, 0);
        complete(std::move(node), anchor, false);
    }

    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame {
        bool map = false;
        YAML::anchor_t anchor = 0;
        YAML::Mark mark;
        MapEntries object;
        QJsonArray array;
        bool haveKey = false;
        bool mergeKey = false;
        QString key;
        YAML::Mark keyMark;
        bool merged = false;        // a merge happened: explicitKeys is then maintained
        QSet<QString> explicitKeys; // keys written in this map, not merged in
        std::uint64_t size = 1;     // nodes within, as Node::size
        int childDepth = 0;         // the deepest value within, as Node::depth
        // recordLines: this container's JSON pointer; null when its values are not recorded
        // (a key, or the value of a merge key: its lines are not where the values end up).
        QString pointer;
    };

    // The pointer a value completed or opened now gets in the innermost open container.
    QString childPointer() const {
        if (m_stack.empty())
            return QStringLiteral("");
        const Frame& parent = m_stack.back();
        if (parent.pointer.isNull())
            return {};
        if (parent.map)
            return parent.haveKey && !parent.mergeKey ? parent.pointer + pointerSegment(parent.key)
                                                      : QString();
        return parent.pointer + QLatin1Char('/') + QString::number(parent.array.size());
    }

    // Where a value was written: a map entry's key, else the value itself.
    void recordLine(const YAML::Mark& valueMark) {
        const QString pointer = childPointer();
        if (pointer.isNull())
            return;
        const bool entry = !m_stack.empty() && m_stack.back().map;
        m_lines.insert(pointer, entry ? m_stack.back().keyMark.line : valueMark.line);
    }

    void countDecodes(const YAML::Mark& mark, std::uint64_t nodes, std::uint64_t expanded) {
        if (m_aliases.count(nodes, expanded))
            return;
        const double allowed = AliasBudget::allowedRatio(m_aliases.decodes());
        fail(mark, QStringLiteral("document contains excessive aliasing, as kubectl says: %1 of %2 nodes "
                                  "come from aliases, more than the %3% allowed for a document of that size")
                       .arg(QString::number(m_aliases.aliasDecodes()), QString::number(m_aliases.decodes()),
                            QString::number(allowed * 100, 'g', 3)));
    }

    void noteFirst(const YAML::Mark& mark) {
        if (!m_seenFirst) {
            m_seenFirst = true;
            m_firstMark = mark;
        }
    }

    void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool map) {
        noteFirst(mark);
        // The simple scanner's events have no depth guard of their own, and yaml-cpp's says only
        // "bad file".
        if (m_stack.size() >= size_t(std::max(1, m_options.maxDepth)))
            fail(mark,
                 QStringLiteral("maps and lists nest deeper than %1 levels (the limit for one document)")
                     .arg(m_options.maxDepth));
        countDecodes(mark, 1, 0);
        Frame frame;
        frame.map = map;
        frame.anchor = anchor;
        frame.mark = mark;
        if (m_options.recordLines)
            frame.pointer = childPointer();
        m_stack.push_back(std::move(frame));
    }

    void close() {
        Frame frame = std::move(m_stack.back());
        m_stack.pop_back();
        Node node;
        node.json = frame.map ? QJsonValue(frame.object.toObject()) : QJsonValue(frame.array);
        node.mark = frame.mark;
        node.size = frame.size;
        node.depth = 1 + frame.childDepth;
        complete(std::move(node), frame.anchor, false);
    }

    // yaml-cpp accepts two things go-yaml (and so kubectl) rejects: a quoted scalar left open at
    // the end of the document and escapes outside YAML 1.1 (such as "\/"). Check the source text.
    void checkQuotedSource(const YAML::Mark& mark) const {
        const size_t n = m_source.size();
        if (mark.pos < 0 || size_t(mark.pos) >= n)
            return;
        size_t i = size_t(mark.pos);
        while (i < n && (m_source[i] == '!' || m_source[i] == '&')) { // node properties before the scalar
            while (i < n && m_source[i] != ' ' && m_source[i] != '\t' && m_source[i] != '\n')
                ++i;
            while (i < n &&
                   (m_source[i] == ' ' || m_source[i] == '\t' || m_source[i] == '\n' || m_source[i] == '\r'))
                ++i;
        }
        if (i >= n || (m_source[i] != '"' && m_source[i] != '\''))
            return;
        const char quote = m_source[i++];
        static const std::string_view escapes("0abt\tnvfre \"'\\N_LPxuU\r\n");
        while (i < n) {
            const char c = m_source[i];
            if (quote == '"' && c == '\\') {
                if (i + 1 < n && escapes.find(m_source[i + 1]) == std::string_view::npos)
                    fail(mark, QStringLiteral("unknown escape character in a double-quoted string"));
                i += 2;
                continue;
            }
            if (c == quote) {
                if (quote == '\'' && i + 1 < n && m_source[i + 1] == '\'') {
                    i += 2;
                    continue;
                }
                return;
            }
            ++i;
        }
        fail(mark, QStringLiteral("quoted string is not closed before the end of the document"));
    }

    Scalar resolveTagged(const YAML::Mark& mark, const std::string& tag, const std::string& value) {
        if (tag == "?")
            return resolvePlain(value);
        Scalar text;
        text.kind = Scalar::Kind::String;
        text.text = stringFromUtf8(value);
        static const std::string core = "tag:yaml.org,2002:";
        if (tag.compare(0, core.size(), core) != 0)
            return text; // quoted ("!"), local (!foo) and foreign tags: the text as written
        const std::string name = tag.substr(core.size());
        if (name == "str" || name == "timestamp")
            return text;
        if (name == "binary") {
            QByteArray encoded = QByteArray::fromStdString(value);
            encoded.replace('\n', QByteArray()).replace('\r', QByteArray());
            auto decoded = QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
            if (!decoded)
                fail(mark, QStringLiteral("!!binary value is not valid base64"));
            text.text =
                stringFromUtf8(std::string_view(decoded.decoded.constData(), size_t(decoded.decoded.size())));
            return text;
        }
        Scalar resolved = resolvePlain(value);
        using K = Scalar::Kind;
        bool matches = false;
        if (name == "int")
            matches = resolved.kind == K::Int || resolved.kind == K::Unsigned;
        else if (name == "bool")
            matches = resolved.kind == K::Bool;
        else if (name == "null")
            matches = resolved.kind == K::Null;
        else if (name == "float") {
            if (resolved.kind == K::Int || resolved.kind == K::Unsigned) {
                resolved.real =
                    resolved.kind == K::Int ? double(resolved.integer) : double(resolved.unsignedInteger);
                resolved.kind = K::Float;
            }
            matches = resolved.kind == K::Float;
        } else if (name == "merge")
            matches = resolved.kind == K::Merge;
        else if (name == "map" || name == "seq" || name == "omap" || name == "pairs" || name == "set")
            matches = false;
        else
            return text;
        if (!matches)
            fail(mark, QStringLiteral("value cannot be read as !!") + QString::fromStdString(name));
        return resolved;
    }

    QJsonValue toJson(const Node& node) const {
        if (!node.scalar)
            return node.json;
        const Scalar& s = node.value;
        switch (s.kind) {
        case Scalar::Kind::Null:
            return QJsonValue(QJsonValue::Null);
        case Scalar::Kind::Bool:
            return QJsonValue(s.boolean);
        case Scalar::Kind::Int:
            return QJsonValue(s.integer);
        case Scalar::Kind::Unsigned:
            return jsonNumberFromDouble(double(s.unsignedInteger));
        case Scalar::Kind::Float:
            if (!std::isfinite(s.real) && !m_options.allowNonFiniteNumbers)
                fail(node.mark, QStringLiteral("JSON has no infinity or NaN (kubectl rejects it too)"));
            return jsonNumberFromDouble(s.real);
        case Scalar::Kind::String:
            return QJsonValue(s.text);
        case Scalar::Kind::Merge:
            return QJsonValue(QStringLiteral("<<"));
        }
        return {};
    }

    void complete(Node node, YAML::anchor_t anchor, bool fromAlias) {
        noteFirst(node.mark);
        if (anchor != 0)
            m_anchors[anchor] = node;
        if (m_options.recordLines && (m_stack.empty() || !m_stack.back().map || m_stack.back().haveKey))
            recordLine(node.mark);
        if (m_stack.empty()) {
            m_root = toJson(node);
            m_hasRoot = true;
            return;
        }
        Frame& frame = m_stack.back();
        // An alias brings its node's whole depth: anchors that each hold the previous one would
        // otherwise build nesting far beyond the limit from a few lines.
        if (m_stack.size() + size_t(node.depth) > size_t(std::max(1, m_options.maxDepth)))
            fail(node.mark,
                 QStringLiteral("maps and lists nest deeper than %1 levels (the limit for one document)")
                     .arg(m_options.maxDepth));
        frame.childDepth = std::max(frame.childDepth, node.depth);
        if (!frame.map) {
            frame.size += node.size;
            frame.array.append(toJson(node));
            return;
        }
        if (!frame.haveKey) {
            if (!node.scalar)
                fail(node.mark, QStringLiteral("a map key must be a scalar"));
            frame.haveKey = true;
            frame.keyMark = node.mark;
            frame.mergeKey = node.value.kind == Scalar::Kind::Merge;
            if (frame.mergeKey)
                m_aliases.uncount(node.size); // go-yaml merges without decoding the `<<` key
            else
                frame.size += node.size;
            if (!frame.mergeKey && !keyString(node.value, &frame.key))
                fail(node.mark, QStringLiteral("unsupported map key (null or beyond int64, as kubectl)"));
            return;
        }
        frame.haveKey = false;
        if (frame.mergeKey) {
            // go-yaml decodes each map of a merged list, not the list itself
            const bool list = !fromAlias && !node.scalar && node.json.isArray();
            if (list)
                m_aliases.uncount(1);
            frame.size += list ? node.size - 1 : node.size;
            merge(frame, node, fromAlias);
            return;
        }
        frame.size += node.size;
        const bool duplicate =
            frame.merged ? frame.explicitKeys.contains(frame.key) : frame.object.contains(frame.key);
        if (duplicate && !m_options.allowDuplicateKeys)
            fail(frame.keyMark, QStringLiteral("duplicate key \"%1\"").arg(shortKey(frame.key)), false);
        if (frame.merged)
            frame.explicitKeys.insert(frame.key);
        frame.object.insert(frame.key, toJson(node));
    }

    // go-yaml v2 semantics: merged keys overwrite what came before the `<<`, keys after it win,
    // and in a list of maps the earlier map wins.
    void merge(Frame& frame, const Node& node, bool fromAlias) {
        const auto wrongValue = [&node] {
            fail(node.mark, QStringLiteral("map merge requires a map or a sequence of maps as the value"));
        };
        if (!frame.merged) {
            frame.merged = true;
            for (const auto& entry : std::as_const(frame.object.items))
                frame.explicitKeys.insert(entry.first);
        }
        const auto mergeObject = [&frame](const QJsonObject& source) {
            for (auto it = source.begin(); it != source.end(); ++it)
                frame.object.insert(it.key(), it.value());
        };
        if (node.scalar)
            wrongValue();
        if (node.json.isObject()) {
            mergeObject(node.json.toObject());
            return;
        }
        if (fromAlias || !node.json.isArray())
            wrongValue();
        const QJsonArray list = node.json.toArray();
        for (const QJsonValue& item : list) {
            if (!item.isObject())
                wrongValue();
        }
        for (qsizetype i = list.size() - 1; i >= 0; --i)
            mergeObject(list.at(i).toObject());
    }

    const ParseOptions& m_options;
    const std::string& m_source;
    std::vector<Frame> m_stack;
    std::unordered_map<YAML::anchor_t, Node> m_anchors;
    AliasBudget m_aliases;
    QJsonValue m_root;
    bool m_hasRoot = false;
    bool m_seenFirst = false;
    YAML::Mark m_firstMark;
    QHash<QString, int> m_lines;
};

} // namespace

DocumentValue readDocument(const std::string& text, const ParseOptions& options, bool allowSimple) {
    // A carriage return ending the text is a line break (kubectl agrees); yaml-cpp would keep it.
    std::string terminated;
    if (text.ends_with('\r'))
        terminated = text + '\n';
    const std::string& source = terminated.empty() ? text : terminated;
    TreeBuilder builder(options, source);
    std::vector<SimpleEvent> events;
    if (allowSimple && scanSimpleBlockDocument(source, &events)) {
        for (const SimpleEvent& event : events) {
            switch (event.type) {
            case SimpleEvent::Type::MapStart:
                builder.OnMapStart(event.mark, "?", 0, YAML::EmitterStyle::Block);
                break;
            case SimpleEvent::Type::MapEnd:
                builder.OnMapEnd();
                break;
            case SimpleEvent::Type::SeqStart:
                builder.OnSequenceStart(event.mark, "?", 0, YAML::EmitterStyle::Block);
                break;
            case SimpleEvent::Type::SeqEnd:
                builder.OnSequenceEnd();
                break;
            case SimpleEvent::Type::Scalar:
                builder.OnScalar(event.mark, event.quoted ? "!" : "?", 0, event.value);
                break;
            case SimpleEvent::Type::Null:
                builder.OnNull(event.mark, 0);
                break;
            }
        }
    } else {
        std::istringstream input(source);
        YAML::Parser parser(input);
        // Like go-yaml's Unmarshal, only the first document counts (more may follow `...`).
        parser.HandleNextDocument(builder);
    }
    DocumentValue out;
    if (builder.hasRoot())
        out.value = builder.root();
    out.firstLine = builder.firstMark().line;
    out.pointerLines = std::move(builder.pointerLines());
    return out;
}

} // namespace driftdeck::yaml::detail
