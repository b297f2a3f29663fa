#include "kubesim/protobufbody.h"

#include <QJsonArray>

#include <functional>
#include <optional>

namespace driftdeck::kubesim {
namespace {

// A protobuf wire-format reader: just enough to walk messages field by field.
class WireReader {
public:
    explicit WireReader(QByteArrayView data)
        : m_data(data) {}
    bool atEnd() const { return m_pos >= m_data.size(); }
    bool failed() const { return m_failed; }

    std::optional<quint64> varint() {
        quint64 value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (m_pos >= m_data.size())
                break;
            const auto byte = quint8(m_data[m_pos++]);
            value |= quint64(byte & 0x7f) << shift;
            if (!(byte & 0x80))
                return value;
        }
        m_failed = true;
        return std::nullopt;
    }
    // Calls `field(number, wireType, bytes-or-empty, varint)` for every field.
    bool forEach(const std::function<void(int, int, QByteArrayView, quint64)>& field) {
        while (!atEnd()) {
            const std::optional<quint64> tag = varint();
            if (!tag)
                return false;
            const int number = int(*tag >> 3);
            const int wireType = int(*tag & 7);
            if (wireType == 0) {
                const std::optional<quint64> v = varint();
                if (!v)
                    return false;
                field(number, wireType, {}, *v);
            } else if (wireType == 2) {
                const std::optional<quint64> length = varint();
                if (!length || *length > quint64(m_data.size() - m_pos))
                    return m_failed = true, false;
                field(number, wireType, m_data.sliced(m_pos, qsizetype(*length)), 0);
                m_pos += qsizetype(*length);
            } else if (wireType == 1 || wireType == 5) {
                const qsizetype size = wireType == 1 ? 8 : 4;
                if (m_data.size() - m_pos < size)
                    return m_failed = true, false;
                m_pos += size;
            } else {
                return m_failed = true, false;
            }
        }
        return !m_failed;
    }

private:
    QByteArrayView m_data;
    qsizetype m_pos = 0;
    bool m_failed = false;
};

QString text(QByteArrayView bytes) {
    return QString::fromUtf8(bytes);
}

// map<string, string> or map<string, bytes> entry: key = 1, value = 2.
void readMapEntry(QByteArrayView entry, QJsonObject& into, bool bytesValue) {
    QString key;
    QByteArray value;
    WireReader(entry).forEach([&](int number, int, QByteArrayView bytes, quint64) {
        if (number == 1)
            key = text(bytes);
        else if (number == 2)
            value = bytes.toByteArray();
    });
    into.insert(key, bytesValue ? QString::fromLatin1(value.toBase64()) : QString::fromUtf8(value));
}

QJsonObject readObjectMeta(QByteArrayView data) {
    QJsonObject meta;
    QJsonObject labels;
    QJsonObject annotations;
    QJsonArray finalizers;
    WireReader(data).forEach([&](int number, int, QByteArrayView bytes, quint64) {
        switch (number) {
        case 1:
            meta.insert(QStringLiteral("name"), text(bytes));
            break;
        case 2: // an empty string on the wire is an unset field, as in Go
            if (!bytes.isEmpty())
                meta.insert(QStringLiteral("generateName"), text(bytes));
            break;
        case 3:
            meta.insert(QStringLiteral("namespace"), text(bytes));
            break;
        case 6:
            meta.insert(QStringLiteral("resourceVersion"), text(bytes));
            break;
        case 11:
            readMapEntry(bytes, labels, false);
            break;
        case 12:
            readMapEntry(bytes, annotations, false);
            break;
        case 14:
            finalizers.append(text(bytes));
            break;
        default:
            break;
        }
    });
    if (!labels.isEmpty())
        meta.insert(QStringLiteral("labels"), labels);
    if (!annotations.isEmpty())
        meta.insert(QStringLiteral("annotations"), annotations);
    if (!finalizers.isEmpty())
        meta.insert(QStringLiteral("finalizers"), finalizers);
    return meta;
}

ApiError unsupported(const QString& why) {
    return ApiError{415,
                    QStringLiteral("UnsupportedMediaType"),
                    QStringLiteral("kubesim reads protobuf bodies only for Namespace, ConfigMap, Secret and "
                                   "ServiceAccount (%1); send JSON or YAML, e.g. kubectl apply -f")
                        .arg(why),
                    {}};
}

} // namespace

std::variant<QJsonObject, ApiError> decodeProtobufObject(const QByteArray& body) {
    if (!body.startsWith(QByteArrayView("k8s\0", 4)))
        return unsupported(QStringLiteral("missing the k8s protobuf envelope"));
    QString apiVersion;
    QString kind;
    QByteArray raw;
    const bool envelopeOk = WireReader(QByteArrayView(body).sliced(4))
                                .forEach([&](int number, int, QByteArrayView bytes, quint64) {
                                    if (number == 1) {
                                        WireReader(bytes).forEach([&](int n, int, QByteArrayView b, quint64) {
                                            if (n == 1)
                                                apiVersion = text(b);
                                            else if (n == 2)
                                                kind = text(b);
                                        });
                                    } else if (number == 2) {
                                        raw = bytes.toByteArray();
                                    }
                                });
    if (!envelopeOk)
        return ApiError{400, QStringLiteral("BadRequest"), QStringLiteral("malformed protobuf body"), {}};
    QJsonObject object{{QStringLiteral("apiVersion"), apiVersion}, {QStringLiteral("kind"), kind}};
    const bool core = apiVersion == QLatin1String("v1");
    if (!core || (kind != QLatin1String("Namespace") && kind != QLatin1String("ConfigMap") &&
                  kind != QLatin1String("Secret") && kind != QLatin1String("ServiceAccount")))
        return unsupported(QStringLiteral("got %1 %2").arg(apiVersion, kind));
    QJsonObject data;
    QJsonObject binaryData;
    QJsonObject stringData;
    QJsonArray namespaceFinalizers;
    const bool ok = WireReader(raw).forEach([&](int number, int, QByteArrayView bytes, quint64 value) {
        if (number == 1) {
            object.insert(QStringLiteral("metadata"), readObjectMeta(bytes));
            return;
        }
        if (kind == QLatin1String("Namespace") && number == 2) {
            WireReader(bytes).forEach([&](int n, int, QByteArrayView b, quint64) {
                if (n == 1)
                    namespaceFinalizers.append(text(b));
            });
        } else if (kind == QLatin1String("ConfigMap")) {
            if (number == 2)
                readMapEntry(bytes, data, false);
            else if (number == 3)
                readMapEntry(bytes, binaryData, true);
            else if (number == 4)
                object.insert(QStringLiteral("immutable"), value != 0);
        } else if (kind == QLatin1String("Secret")) {
            if (number == 2)
                readMapEntry(bytes, data, true);
            else if (number == 3)
                object.insert(QStringLiteral("type"), text(bytes));
            else if (number == 4)
                readMapEntry(bytes, stringData, false);
            else if (number == 5)
                object.insert(QStringLiteral("immutable"), value != 0);
        } else if (kind == QLatin1String("ServiceAccount") && number == 4) {
            object.insert(QStringLiteral("automountServiceAccountToken"), value != 0);
        }
    });
    if (!ok)
        return ApiError{400, QStringLiteral("BadRequest"), QStringLiteral("malformed protobuf body"), {}};
    if (!data.isEmpty())
        object.insert(QStringLiteral("data"), data);
    if (!binaryData.isEmpty())
        object.insert(QStringLiteral("binaryData"), binaryData);
    if (!stringData.isEmpty())
        object.insert(QStringLiteral("stringData"), stringData);
    if (!namespaceFinalizers.isEmpty())
        object.insert(QStringLiteral("spec"),
                      QJsonObject{{QStringLiteral("finalizers"), namespaceFinalizers}});
    return object;
}

} // namespace driftdeck::kubesim
