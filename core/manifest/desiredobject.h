#pragma once

#include "model/resourcekey.h"

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace driftdeck::manifest {

// One object Git says should exist, and where it came from so the UI can point at the file.
struct DesiredObject {
    struct Source {
        QString file;          // relative to the application directory
        int documentIndex = 0; // among the non-empty documents of that file (or tool output)
        int line = 0;          // 1-based; 0 when the producing tool does not tell
        bool operator==(const Source&) const = default;
    };

    QJsonObject object;
    ResourceKey key;
    Source source;

    bool operator==(const DesiredObject&) const = default;
};

struct RenderResult {
    QList<DesiredObject> objects;
    QStringList warnings; // things the operator should know that did not stop rendering
};

} // namespace driftdeck::manifest

Q_DECLARE_METATYPE(driftdeck::manifest::RenderResult)
