#include "statusicons.h"

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace driftdeck::ui {
namespace {

const QColor kGreen(0x2e, 0x9e, 0x4f);
const QColor kOrange(0xe0, 0x8a, 0x00);
const QColor kRed(0xd0, 0x3b, 0x3b);
const QColor kBlue(0x3b, 0x7d, 0xd8);
const QColor kGrey(0x8a, 0x8f, 0x98);
const QColor kPurple(0x8e, 0x5c, 0xc8);

QIcon badge(const QColor& colour, QChar glyph) {
    static QHash<QString, QIcon> cache;
    const QString cacheKey = colour.name() + glyph;
    if (const auto found = cache.constFind(cacheKey); found != cache.constEnd())
        return *found;
    QIcon icon;
    for (int size : {16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(colour);
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
        QFont font = painter.font();
        font.setPixelSize(int(size * 0.7));
        font.setBold(true);
        painter.setFont(font);
        painter.setPen(Qt::white);
        painter.drawText(QRect(0, 0, size, size), Qt::AlignCenter, QString(glyph));
        painter.end();
        icon.addPixmap(pixmap);
    }
    cache.insert(cacheKey, icon);
    return icon;
}

} // namespace

QColor syncColor(engine::SyncStatus status) {
    switch (status) {
    case engine::SyncStatus::Synced:
        return kGreen;
    case engine::SyncStatus::OutOfSync:
        return kOrange;
    case engine::SyncStatus::Error:
        return kRed;
    case engine::SyncStatus::Unknown:
        break;
    }
    return kGrey;
}

QColor healthColor(health::HealthStatus status) {
    switch (status) {
    case health::HealthStatus::Healthy:
        return kGreen;
    case health::HealthStatus::Suspended:
        return kPurple;
    case health::HealthStatus::Progressing:
        return kBlue;
    case health::HealthStatus::Missing:
        return kOrange;
    case health::HealthStatus::Degraded:
        return kRed;
    case health::HealthStatus::Unknown:
        break;
    }
    return kGrey;
}

QIcon syncIcon(engine::SyncStatus status) {
    switch (status) {
    case engine::SyncStatus::Synced:
        return badge(kGreen, u'\u2713');
    case engine::SyncStatus::OutOfSync:
        return badge(kOrange, u'\u2260');
    case engine::SyncStatus::Error:
        return badge(kRed, u'!');
    case engine::SyncStatus::Unknown:
        break;
    }
    return badge(kGrey, u'?');
}

QIcon diffStateIcon(diff::ObjectDiff::State state) {
    switch (state) {
    case diff::ObjectDiff::State::Synced:
        return badge(kGreen, u'\u2713');
    case diff::ObjectDiff::State::OutOfSync:
        return badge(kOrange, u'\u2260');
    case diff::ObjectDiff::State::Missing:
        return badge(kOrange, u'+');
    case diff::ObjectDiff::State::Extra:
        return badge(kPurple, u'\u2212');
    }
    return badge(kGrey, u'?');
}

QIcon healthIcon(health::HealthStatus status) {
    static const QChar glyphs[] = {u'\u2665', u'\u2016', u'\u21bb', u'?', u'\u2715', u'?'};
    return badge(healthColor(status), glyphs[int(status)]);
}

QIcon connectionIcon(engine::ConnectionState state) {
    switch (state) {
    case engine::ConnectionState::Connected:
        return badge(kGreen, u'\u25cf');
    case engine::ConnectionState::Connecting:
        return badge(kBlue, u'\u21bb');
    case engine::ConnectionState::Unreachable:
        return badge(kRed, u'\u2715');
    case engine::ConnectionState::Unauthorized:
        return badge(kRed, u'\u26bf');
    case engine::ConnectionState::Misconfigured:
        return badge(kRed, u'!');
    }
    return badge(kGrey, u'?');
}

} // namespace driftdeck::ui
