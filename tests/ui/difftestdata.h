#pragma once

#include "diffview/diffdocument.h"

#include <QList>
#include <QString>
#include <QStringList>

// Documents for the diff view tests: sections of numbered YAML lines with changes where asked.
namespace driftdeck::test {

// "key<i>: value <i>" for i in [0, count).
inline QStringList numberedLines(int count) {
    QStringList lines;
    for (int i = 0; i < count; ++i)
        lines.append(QStringLiteral("key%1: value %1").arg(i));
    return lines;
}

// A ConfigMap-like section of `count` lines whose lines at `changed` differ live (a new value).
inline ui::DiffSection sectionWithChanges(int index, int count, const QList<int>& changed) {
    const QStringList desired = numberedLines(count);
    QStringList live = desired;
    for (int line : changed)
        if (line >= 0 && line < count)
            live[line] = QStringLiteral("key%1: changed %1").arg(line);
    const ResourceKey key{QString(), QStringLiteral("ConfigMap"), QStringLiteral("shop"),
                          QStringLiteral("config-%1").arg(index)};
    return ui::makeDiffSection(
        key, changed.isEmpty() ? diff::ObjectDiff::State::Synced : diff::ObjectDiff::State::OutOfSync,
        desired, live);
}

} // namespace driftdeck::test
