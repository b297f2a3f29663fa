#include "yaml/yamlcodec.h"
#include "yaml/yamlscalar_p.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>
#include <QVariant>

#include <charconv>
#include <cmath>
#include <limits>

namespace driftdeck::yaml {
namespace {

// Characters a plain or single-quoted scalar must not carry: controls (tab included, to keep
// output unambiguous), the YAML 1.1 line breaks NEL/LS/PS and the byte order mark.
bool isUnprintable(char32_t c) {
    return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
           (c >= 0xD800 && c <= 0xDFFF);
}

bool allPrintable(const QString& s) {
    for (const char32_t c : s.toUcs4()) {
        if (isUnprintable(c))
            return false;
    }
    return true;
}

bool isSpace(QChar c) {
    return c == QLatin1Char(' ') || c == QLatin1Char('\t');
}

bool canBePlain(const QString& s) {
    if (s.isEmpty() || isSpace(s.front()) || isSpace(s.back()) || !allPrintable(s))
        return false;
    const QChar first = s.front();
    // Indicators that start another kind of node; `-` is fine when not followed by a space
    // (command-line flags are common values), but `---` could read as a document marker.
    static const QString indicators = QStringLiteral("?:,[]{}#&*!|>'\"%@`");
    if (indicators.contains(first))
        return false;
    if (first == QLatin1Char('-') &&
        (s.size() == 1 || s.at(1) == QLatin1Char(' ') || s.startsWith(QLatin1String("---"))))
        return false;
    if (s.startsWith(QLatin1String("...")))
        return false;
    if (s.contains(QLatin1String(": ")) || s.contains(QLatin1String(" #")) || s.endsWith(QLatin1Char(':')))
        return false;
    return !detail::plainReadsAsOtherType(s);
}

QByteArray singleQuoted(const QString& s) {
    QString body = s;
    body.replace(QLatin1Char('\''), QLatin1String("''"));
    return "'" + body.toUtf8() + "'";
}

QByteArray doubleQuoted(const QString& s) {
    QByteArray out = "\"";
    for (const char32_t c : s.toUcs4()) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '"':
            out += "\\\"";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (isUnprintable(c)) {
                out += "\\u" + QByteArray::number(uint(c), 16).rightJustified(4, '0');
            } else {
                const char32_t one[1] = {c};
                out += QString::fromUcs4(one, 1).toUtf8();
            }
        }
    }
    out += '"';
    return out;
}

// A literal block keeps the text readable in diffs; it cannot carry trailing blanks on a line,
// a first line starting with a blank (that would need an indentation indicator) or controls.
bool canBeLiteral(const QString& s) {
    if (!s.contains(QLatin1Char('\n')) || s.front() == QLatin1Char('\n') || isSpace(s.front()))
        return false;
    QString content = s;
    while (content.endsWith(QLatin1Char('\n')))
        content.chop(1);
    const QStringList lines = content.split(QLatin1Char('\n'));
    for (const QString& line : lines) {
        if (!line.isEmpty() && isSpace(line.back()))
            return false;
        for (const char32_t c : line.toUcs4()) {
            if (c != '\t' && isUnprintable(c))
                return false;
        }
    }
    return true;
}

void writeLiteral(QByteArray& out, const QString& s, int indent) {
    QString content = s;
    int trailing = 0;
    while (content.endsWith(QLatin1Char('\n'))) {
        content.chop(1);
        ++trailing;
    }
    out += trailing == 0 ? "|-\n" : (trailing == 1 ? "|\n" : "|+\n");
    const QByteArray pad(indent, ' ');
    for (const QString& line : content.split(QLatin1Char('\n'))) {
        if (!line.isEmpty())
            out += pad + line.toUtf8();
        out += '\n';
    }
    for (int i = 1; i < trailing; ++i)
        out += '\n';
}

QByteArray scalarText(const QString& s) {
    if (canBePlain(s))
        return s.toUtf8();
    if (!s.contains(QLatin1Char('\t')) && allPrintable(s))
        return singleQuoted(s);
    return doubleQuoted(s);
}

QByteArray numberText(const QJsonValue& v) {
    const double d = v.toDouble();
    if (std::isnan(d))
        return ".nan";
    if (std::isinf(d))
        return d > 0 ? ".inf" : "-.inf";
    const qint64 a = v.toInteger(0);
    // -2^63 is the one double toInteger() takes that the reader keeps a double (kubectl does: Go
    // prints it as -9223372036854776000, beyond int64); it must not come back an integer.
    const bool doubleMinInt64 =
        a == std::numeric_limits<qint64>::min() && v.toVariant().typeId() == QMetaType::Double;
    if (a == v.toInteger(1) && !doubleMinInt64)
        return QByteArray::number(a);
    // Shortest text that reads back as the same double. Whole numbers beyond int64 take the
    // exponent form: plain digits would read back as an integer (or an unsigned one).
    char buf[64];
    const auto format = d == std::trunc(d) ? std::chars_format::scientific : std::chars_format::general;
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, format);
    if (ec != std::errc())
        return QByteArray::number(d, 'g', 17);
    return QByteArray(buf, end - buf);
}

// Writes a scalar or an empty collection after "key:" or "-" (the caller wrote no space yet),
// ending the line. Returns false for a non-empty collection, which the caller lays out.
bool writeInline(QByteArray& out, const QJsonValue& v, int indent) {
    switch (v.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += " null\n";
        return true;
    case QJsonValue::Bool:
        out += v.toBool() ? " true\n" : " false\n";
        return true;
    case QJsonValue::Double:
        out += ' ' + numberText(v) + '\n';
        return true;
    case QJsonValue::String: {
        const QString s = v.toString();
        out += ' ';
        if (canBeLiteral(s))
            writeLiteral(out, s, indent);
        else
            out += scalarText(s) + '\n';
        return true;
    }
    case QJsonValue::Array:
        if (v.toArray().isEmpty()) {
            out += " []\n";
            return true;
        }
        return false;
    case QJsonValue::Object:
        if (v.toObject().isEmpty()) {
            out += " {}\n";
            return true;
        }
        return false;
    }
    return false;
}

constexpr qsizetype kMaxImplicitKey = 1000;

// Records which value each written line starts, for canonicalLinePointers(). The writer passes
// nullptr when nobody asked, so toYaml() pays one branch per value.
struct LineMarks {
    QStringList pointers; // by line; empty where no value starts
    qsizetype scanned = 0;
    qsizetype lines = 0;

    void mark(const QByteArray& out, const QString& pointer) {
        lines += QByteArrayView(out).sliced(scanned).count('\n');
        scanned = out.size();
        while (pointers.size() <= lines)
            pointers.append(QString());
        pointers[lines] = pointer; // a deeper value on the same line ("- key: x") wins
    }
};

void writeMap(QByteArray& out, const QJsonObject& object, int indent, bool firstInline, LineMarks* marks,
              const QString& pointer);
void writeSequence(QByteArray& out, const QJsonArray& array, int indent, bool firstInline, LineMarks* marks,
                   const QString& pointer);

void writeMap(QByteArray& out, const QJsonObject& object, int indent, bool firstInline, LineMarks* marks,
              const QString& pointer) {
    const QByteArray pad(indent, ' ');
    bool first = true;
    // QJsonObject iterates its keys in sorted order already.
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!(first && firstInline))
            out += pad;
        first = false;
        const QString child = marks ? pointer + pointerSegment(it.key()) : QString();
        if (marks)
            marks->mark(out, child);
        const QByteArray key = scalarText(it.key());
        if (key.size() > kMaxImplicitKey)
            out += "? " + key + '\n' + pad + ':'; // readers limit implicit keys to 1024 characters
        else
            out += key + ':';
        const QJsonValue value = it.value();
        if (writeInline(out, value, indent + 2))
            continue;
        out += '\n';
        if (value.isObject())
            writeMap(out, value.toObject(), indent + 2, false, marks, child);
        else
            writeSequence(out, value.toArray(), indent, false, marks,
                          child); // "- " under the key, as kubectl
    }
}

void writeSequence(QByteArray& out, const QJsonArray& array, int indent, bool firstInline, LineMarks* marks,
                   const QString& pointer) {
    const QByteArray pad(indent, ' ');
    bool first = true;
    qsizetype index = 0;
    for (const QJsonValue& value : array) {
        if (!(first && firstInline))
            out += pad;
        first = false;
        const QString child = marks ? pointer + QLatin1Char('/') + QString::number(index) : QString();
        ++index;
        if (marks)
            marks->mark(out, child);
        out += '-';
        if (writeInline(out, value, indent + 2))
            continue;
        out += ' ';
        if (value.isObject())
            writeMap(out, value.toObject(), indent + 2, true, marks, child);
        else
            writeSequence(out, value.toArray(), indent + 2, true, marks, child);
    }
}

QByteArray write(const QJsonValue& value, LineMarks* marks) {
    QByteArray out;
    if (marks)
        marks->mark(out, QString());
    if (value.isObject() && !value.toObject().isEmpty()) {
        writeMap(out, value.toObject(), 0, false, marks, QString());
    } else if (value.isArray() && !value.toArray().isEmpty()) {
        writeSequence(out, value.toArray(), 0, false, marks, QString());
    } else {
        writeInline(out, value, 2);
        out.remove(0, 1); // the separating space a key or dash would have needed
    }
    return out;
}

} // namespace

QByteArray toYaml(const QJsonValue& value) {
    return write(value, nullptr);
}

QString pointerSegment(const QString& key) {
    QString escaped = key;
    escaped.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
    return QLatin1Char('/') + escaped;
}

QStringList canonicalLinePointers(const QJsonValue& value) {
    LineMarks marks;
    QByteArray text = write(value, &marks);
    if (text.endsWith('\n'))
        text.chop(1);
    const qsizetype lineCount = text.count('\n') + 1;
    QStringList out;
    out.reserve(lineCount);
    QString current;
    for (qsizetype line = 0; line < lineCount; ++line) {
        if (line < marks.pointers.size() && (line == 0 || !marks.pointers.at(line).isNull()))
            current = marks.pointers.at(line);
        out.append(current);
    }
    return out;
}

QByteArray toYamlStream(const QList<QJsonValue>& documents) {
    QByteArray out;
    for (qsizetype i = 0; i < documents.size(); ++i) {
        if (i > 0)
            out += "---\n";
        out += toYaml(documents.at(i));
    }
    return out;
}

} // namespace driftdeck::yaml
