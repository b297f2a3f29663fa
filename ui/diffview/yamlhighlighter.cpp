#include "yamlhighlighter.h"

#ifdef DRIFTDECK_HAVE_KSYNTAX
#include <KSyntaxHighlighting/AbstractHighlighter>
#include <KSyntaxHighlighting/Definition>
#include <KSyntaxHighlighting/Format>
#include <KSyntaxHighlighting/Repository>
#include <KSyntaxHighlighting/State>
#include <KSyntaxHighlighting/Theme>
#endif

namespace driftdeck::ui {

#ifdef DRIFTDECK_HAVE_KSYNTAX
namespace {

// Highlights one line at a time from a fresh state: the view paints only visible rows, in any
// order, so it cannot carry state from the top; block scalars come out plain, which is acceptable.
class LineHighlighter final : public KSyntaxHighlighting::AbstractHighlighter {
public:
    QList<StyledSpan> spans;

    void highlight(QStringView line) {
        spans.clear();
        highlightLine(line, KSyntaxHighlighting::State());
    }

protected:
    void applyFormat(int offset, int length, const KSyntaxHighlighting::Format& format) override {
        if (length <= 0 || format.isDefaultTextStyle(theme()))
            return;
        spans.append(StyledSpan{offset, length, format.textColor(theme()), format.isBold(theme()),
                                format.isItalic(theme())});
    }
};

} // namespace
#endif

struct YamlHighlighter::Private {
    DiffColors colors;
#ifdef DRIFTDECK_HAVE_KSYNTAX
    KSyntaxHighlighting::Repository repository;
    mutable LineHighlighter lines;
#endif
};

YamlHighlighter::YamlHighlighter()
    : d(std::make_unique<Private>()) {
#ifdef DRIFTDECK_HAVE_KSYNTAX
    d->lines.setDefinition(d->repository.definitionForName(QStringLiteral("YAML")));
#endif
    setColors(DiffColors::fromPalette(QPalette()));
}

YamlHighlighter::~YamlHighlighter() = default;

void YamlHighlighter::setColors(const DiffColors& colors) {
    d->colors = colors;
#ifdef DRIFTDECK_HAVE_KSYNTAX
    d->lines.setTheme(d->repository.defaultTheme(colors.dark ? KSyntaxHighlighting::Repository::DarkTheme
                                                             : KSyntaxHighlighting::Repository::LightTheme));
#endif
}

QList<StyledSpan> YamlHighlighter::highlight(QStringView line, bool insideBlockScalar) const {
#ifdef DRIFTDECK_HAVE_KSYNTAX
    if (d->lines.definition().isValid() && !insideBlockScalar) {
        d->lines.highlight(line);
        return d->lines.spans;
    }
#endif
    QList<StyledSpan> spans;
    for (const YamlToken& token : yamlTokens(line, insideBlockScalar)) {
        spans.append(StyledSpan{token.start, token.length, d->colors.forToken(token.kind),
                                token.kind == YamlTokenKind::Dash, token.kind == YamlTokenKind::Comment});
    }
    return spans;
}

bool YamlHighlighter::usesKSyntaxHighlighting() {
#ifdef DRIFTDECK_HAVE_KSYNTAX
    return true;
#else
    return false;
#endif
}

} // namespace driftdeck::ui
