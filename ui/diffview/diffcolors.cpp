#include "diffcolors.h"

#include <algorithm>

namespace driftdeck::ui {

QColor blend(const QColor& a, const QColor& b, double amount) {
    const double k = std::clamp(amount, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * k),
                            float(a.greenF() + (b.greenF() - a.greenF()) * k),
                            float(a.blueF() + (b.blueF() - a.blueF()) * k));
}

DiffColors DiffColors::fromPalette(const QPalette& palette) {
    DiffColors c;
    c.base = palette.color(QPalette::Base);
    c.text = palette.color(QPalette::Text);
    c.dark = c.base.lightnessF() < 0.5;
    const QColor red = c.dark ? QColor(0xff, 0x50, 0x50) : QColor(0xe0, 0x20, 0x20);
    const QColor green = c.dark ? QColor(0x40, 0xd0, 0x60) : QColor(0x20, 0xb0, 0x40);
    c.dimText = blend(c.text, c.base, 0.45);
    c.gutter = blend(c.base, c.text, 0.04);
    c.removedLine = blend(c.base, red, c.dark ? 0.22 : 0.14);
    c.addedLine = blend(c.base, green, c.dark ? 0.22 : 0.14);
    c.removedWord = blend(c.base, red, c.dark ? 0.5 : 0.35);
    c.addedWord = blend(c.base, green, c.dark ? 0.5 : 0.35);
    c.filler = blend(c.base, c.text, 0.07);
    c.fold = blend(c.base, palette.color(QPalette::Highlight), 0.12);
    c.header = blend(palette.color(QPalette::Button), palette.color(QPalette::Highlight), 0.10);
    c.headerText = palette.color(QPalette::ButtonText);
    c.divider = blend(c.base, c.text, 0.25);
    c.current = palette.color(QPalette::Highlight);
    c.link = palette.color(QPalette::Link);
    if (c.dark) {
        c.key = QColor(0x29, 0x80, 0xb9);
        c.string = QColor(0xf4, 0x4f, 0x4f);
        c.number = QColor(0xf6, 0x74, 0x00);
        c.constant = QColor(0x8e, 0x44, 0xad).lighter(140);
        c.comment = QColor(0x7a, 0x7c, 0x7d);
    } else {
        c.key = QColor(0x00, 0x57, 0xae);
        c.string = QColor(0xbf, 0x03, 0x03);
        c.number = QColor(0xb0, 0x80, 0x00);
        c.constant = QColor(0x64, 0x4a, 0x9b);
        c.comment = QColor(0x89, 0x88, 0x87);
    }
    c.punctuation = c.dimText;
    return c;
}

QColor DiffColors::forToken(YamlTokenKind kind) const {
    switch (kind) {
    case YamlTokenKind::Key:
        return key;
    case YamlTokenKind::Punctuation:
        return punctuation;
    case YamlTokenKind::Dash:
        return text;
    case YamlTokenKind::String:
        return string;
    case YamlTokenKind::Number:
        return number;
    case YamlTokenKind::Constant:
        return constant;
    case YamlTokenKind::Comment:
        return comment;
    }
    return text;
}

} // namespace driftdeck::ui
