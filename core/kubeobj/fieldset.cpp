#include "kubeobj/fieldset.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMap>

#include <algorithm>

namespace driftdeck::kubeobj {
namespace {

const QChar kSeparator(0x1f);

QString compactJson(const QJsonValue& value) {
    // QJsonDocument only writes arrays and objects: wrap the value and cut the brackets off.
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QJsonObject build(const QList<FieldSet::Path>& paths) {
    // Groups the (sorted) paths by their first element and recurses on the tails.
    QMap<QString, QList<FieldSet::Path>> tails;
    QSet<QString> members;
    for (const FieldSet::Path& path : paths) {
        if (path.size() == 1)
            members.insert(path.first());
        else
            tails[path.first()].append(path.mid(1));
    }
    for (const QString& member : members)
        tails.insert(member, tails.value(member));
    QJsonObject out;
    for (auto it = tails.cbegin(); it != tails.cend(); ++it) {
        QJsonObject child = build(it.value());
        if (!it.value().isEmpty() && members.contains(it.key()))
            child.insert(QStringLiteral("."), QJsonObject());
        out.insert(it.key(), child);
    }
    return out;
}

void collect(const QJsonObject& fields, FieldSet::Path& prefix, FieldSet& out) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
        if (it.key() == QLatin1String(".")) {
            if (!prefix.isEmpty())
                out.insert(prefix);
            continue;
        }
        prefix.append(it.key());
        const QJsonObject child = it.value().toObject();
        if (child.isEmpty())
            out.insert(prefix);
        else
            collect(child, prefix, out);
        prefix.removeLast();
    }
}

} // namespace

QString FieldSet::fieldElement(const QString& name) {
    return QStringLiteral("f:") + name;
}

QString FieldSet::keyElement(const QJsonObject& key) {
    return QStringLiteral("k:") + QString::fromUtf8(QJsonDocument(key).toJson(QJsonDocument::Compact));
}

QString FieldSet::valueElement(const QJsonValue& value) {
    return QStringLiteral("v:") + compactJson(value);
}

QString FieldSet::pathString(const Path& path) {
    QString out;
    for (const QString& element : path) {
        const QString body = element.mid(2);
        if (element.startsWith(QLatin1String("f:"))) {
            out += QLatin1Char('.') + body;
        } else if (element.startsWith(QLatin1String("k:"))) {
            const QJsonObject key = QJsonDocument::fromJson(body.toUtf8()).object();
            QStringList parts;
            for (auto it = key.begin(); it != key.end(); ++it)
                parts.append(it.key() + QLatin1Char('=') + compactJson(it.value()));
            out += QLatin1Char('[') + parts.join(QLatin1Char(',')) + QLatin1Char(']');
        } else if (element.startsWith(QLatin1String("v:"))) {
            out += QStringLiteral("[=") + body + QLatin1Char(']');
        } else {
            out += QLatin1Char('[') + body + QLatin1Char(']');
        }
    }
    return out;
}

QString FieldSet::join(const Path& path) {
    return path.join(kSeparator);
}

FieldSet::Path FieldSet::split(const QString& joined) {
    return joined.split(kSeparator);
}

void FieldSet::addPrefixesOf(const QString& joined) {
    for (qsizetype at = joined.indexOf(kSeparator); at >= 0; at = joined.indexOf(kSeparator, at + 1))
        m_prefixes.insert(joined.left(at));
}

void FieldSet::rebuildPrefixes() {
    m_prefixes.clear();
    for (const QString& p : std::as_const(m_paths))
        addPrefixesOf(p);
}

void FieldSet::insert(const Path& path) {
    if (path.isEmpty())
        return;
    // The separator in a field name (only a hostile custom resource has one) would split the path
    // wrongly; such a path is left out, so nobody is taken to own it (found by fuzzing).
    for (const QString& element : path)
        if (element.contains(kSeparator))
            return;
    const QString joined = join(path);
    m_paths.insert(joined);
    addPrefixesOf(joined);
}

bool FieldSet::contains(const Path& path) const {
    return m_paths.contains(join(path));
}

bool FieldSet::containsPrefix(const Path& path) const {
    const QString joined = join(path);
    return m_paths.contains(joined) || m_prefixes.contains(joined);
}

bool FieldSet::hasMembersBelow(const Path& path) const {
    return m_prefixes.contains(join(path));
}

bool FieldSet::containsAtomicAncestor(const Path& path) const {
    for (qsizetype n = 1; n < path.size(); ++n) {
        const QString ancestor = join(path.first(n));
        if (m_paths.contains(ancestor) && !m_prefixes.contains(ancestor))
            return true;
    }
    return false;
}

FieldSet FieldSet::united(const FieldSet& other) const {
    FieldSet out = *this;
    out.m_paths.unite(other.m_paths);
    out.m_prefixes.unite(other.m_prefixes);
    return out;
}

FieldSet FieldSet::subtracted(const FieldSet& other) const {
    FieldSet out = *this;
    out.m_paths.subtract(other.m_paths);
    out.rebuildPrefixes();
    return out;
}

FieldSet FieldSet::intersected(const FieldSet& other) const {
    FieldSet out = *this;
    out.m_paths.intersect(other.m_paths);
    out.rebuildPrefixes();
    return out;
}

QList<FieldSet::Path> FieldSet::paths() const {
    QList<Path> out;
    out.reserve(m_paths.size());
    for (const QString& p : m_paths)
        out.append(split(p));
    std::sort(out.begin(), out.end());
    return out;
}

QJsonObject FieldSet::toFieldsV1() const {
    return build(paths());
}

FieldSet FieldSet::fromFieldsV1(const QJsonObject& fields) {
    FieldSet out;
    Path prefix;
    collect(fields, prefix, out);
    return out;
}

} // namespace driftdeck::kubeobj
