#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

// The set of field paths a manager owns, and its wire form fieldsV1.
// A path is a list of path elements in their fieldsV1 spelling: "f:spec" (a field or map key),
// "k:{\"name\":\"web\"}" (a list-map item by its key), "v:\"x\"" (an item of a set of scalars),
// "i:3" (a list index). A path is a member of the set or not; fieldsV1 writes a member that also has
// members below it with a "." entry, as the real server does.
namespace driftdeck::kubeobj {

class FieldSet {
public:
    using Path = QStringList;

    static QString fieldElement(const QString& name);
    static QString keyElement(const QJsonObject& key);
    static QString valueElement(const QJsonValue& value);
    // ".spec.template.spec.containers[name=\"web\"].image", the form conflict messages use.
    static QString pathString(const Path& path);

    void insert(const Path& path);
    bool contains(const Path& path) const;
    // True when `path` itself or any path below it is a member.
    bool containsPrefix(const Path& path) const;
    // True when a proper ancestor of `path` is a member with nothing below it: an atomic value
    // (a leaf of this set) that holds `path`.
    bool containsAtomicAncestor(const Path& path) const;
    // True when some member lies strictly below `path`.
    bool hasMembersBelow(const Path& path) const;
    bool isEmpty() const { return m_paths.isEmpty(); }
    qsizetype size() const { return m_paths.size(); }

    FieldSet united(const FieldSet& other) const;
    FieldSet subtracted(const FieldSet& other) const;
    FieldSet intersected(const FieldSet& other) const;
    bool operator==(const FieldSet& other) const { return m_paths == other.m_paths; }

    // Members in a stable order (parents before children, then lexicographic).
    QList<Path> paths() const;

    QJsonObject toFieldsV1() const;
    static FieldSet fromFieldsV1(const QJsonObject& fields);

private:
    static QString join(const Path& path);
    static Path split(const QString& joined);
    void addPrefixesOf(const QString& joined);
    void rebuildPrefixes();
    QSet<QString> m_paths; // elements joined by U+001F, which no element contains
    // Every proper prefix of a member, so containsPrefix() is a lookup rather than a scan.
    QSet<QString> m_prefixes;
};

} // namespace driftdeck::kubeobj
