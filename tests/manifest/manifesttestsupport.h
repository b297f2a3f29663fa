#pragma once

#include "manifest/desiredobject.h"
#include "manifest/renderer.h"

#include <QByteArray>
#include <QHash>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

namespace driftdeck::test {

// Copies a directory tree, making the copy writable (the shared corpus is read-only).
bool copyTree(const QString& from, const QString& to);

// Writes `content` to `root/relative`, creating directories.
bool writeFile(const QString& root, const QString& relative, const QByteArray& content);

// Sets an environment variable for the lifetime of the object and restores it afterwards.
class ScopedEnvironment {
public:
    ScopedEnvironment(const char* name, const QByteArray& value);
    ~ScopedEnvironment();
    ScopedEnvironment(const ScopedEnvironment&) = delete;
    ScopedEnvironment& operator=(const ScopedEnvironment&) = delete;

private:
    const char* m_name;
    bool m_wasSet;
    QByteArray m_old;
};

QHash<ResourceKey, QJsonObject> objectsByKey(const QList<manifest::DesiredObject>& objects);

// A request for `directory` with the given renderer type.
manifest::RenderRequest requestFor(const QString& directory, RendererSpec::Type type,
                                   const QString& appName = QStringLiteral("app"));

} // namespace driftdeck::test
