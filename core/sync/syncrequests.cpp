#include "sync/syncrequests.h"

#include "diff/pairing.h"
#include "diff/secretmask.h"

#include <QJsonDocument>

#include <algorithm>

namespace driftdeck::sync {

namespace {

// Reads a Go-quoted string ("a\"b") starting at the opening quote; empty when unterminated.
QString readQuoted(const QString& text, qsizetype open) {
    QString out;
    for (qsizetype i = open + 1; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == QLatin1Char('\\') && i + 1 < text.size()) {
            out.append(text.at(++i));
            continue;
        }
        if (c == QLatin1Char('"'))
            return out;
        out.append(c);
    }
    return {};
}

void collectManagers(const QString& text, QStringList* out) {
    static const QStringList markers{QStringLiteral("conflicts with \""), QStringLiteral("conflict with \"")};
    for (const QString& marker : markers) {
        qsizetype from = 0;
        while ((from = text.indexOf(marker, from)) >= 0) {
            const qsizetype open = from + marker.size() - 1;
            const QString name = readQuoted(text, open);
            if (!name.isEmpty() && !out->contains(name))
                out->append(name);
            from = open + 1;
        }
    }
}

kube::ApiRequest withQuery(kube::ApiRequest r, const kube::ApplyOptions& options) {
    r.query.addQueryItem(QStringLiteral("fieldManager"), options.fieldManager);
    if (options.dryRun)
        r.query.addQueryItem(QStringLiteral("dryRun"), QStringLiteral("All"));
    return r;
}

} // namespace

QString targetNamespace(const kubeobj::Object& desired, const ResourceKey& key, bool namespaced,
                        const QString& destination) {
    if (!namespaced)
        return {};
    if (!desired.isNull() && !desired.namespaceName().isEmpty())
        return desired.namespaceName();
    if (!key.ns.isEmpty())
        return key.ns;
    return destination.isEmpty() ? QStringLiteral("default") : destination;
}

QJsonObject appliedObject(const kubeobj::Object& desired, const QString& appName, const ResourceKey& key,
                          bool namespaced, const QString& ns) {
    QJsonObject json = desired.json();
    QJsonObject meta = json.value(QLatin1String("metadata")).toObject();
    QJsonObject annotations = meta.value(QLatin1String("annotations")).toObject();
    annotations.insert(kTrackingAnnotation, diff::trackingId(appName, key));
    meta.insert(QStringLiteral("annotations"), annotations);
    if (namespaced)
        meta.insert(QStringLiteral("namespace"), ns);
    else
        meta.remove(QStringLiteral("namespace"));
    json.insert(QStringLiteral("metadata"), meta);
    return json;
}

QStringList conflictManagers(const kube::ApiStatus& status) {
    QStringList out;
    for (const kube::StatusCause& cause : status.causes)
        collectManagers(cause.message, &out);
    if (out.isEmpty())
        collectManagers(status.message, &out);
    return out;
}

kube::ApiRequest replaceRequest(const kube::ResourceInfo& info, const QJsonObject& object,
                                const kube::ApplyOptions& options) {
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    kube::ApiRequest r;
    r.method = "PUT";
    r.path = kube::objectPath(info, meta.value(QLatin1String("namespace")).toString(),
                              meta.value(QLatin1String("name")).toString());
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    r.contentType = "application/json";
    return withQuery(r, options);
}

kube::ApiRequest replaceCreateRequest(const kube::ResourceInfo& info, const QJsonObject& object,
                                      const kube::ApplyOptions& options) {
    const QJsonObject meta = object.value(QLatin1String("metadata")).toObject();
    kube::ApiRequest r;
    r.method = "POST";
    r.path = kube::collectionPath(info, meta.value(QLatin1String("namespace")).toString());
    r.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    r.contentType = "application/json";
    return withQuery(r, options);
}

QString withoutSecretValues(const QString& text, const QJsonObject& object) {
    if (!diff::SecretMasker::isSecret(object) || text.isEmpty())
        return text;
    QStringList values;
    const QJsonObject data = object.value(QLatin1String("data")).toObject();
    for (auto it = data.begin(); it != data.end(); ++it) {
        const QString encoded = it.value().toString();
        values.append(encoded);
        const auto decoded =
            QByteArray::fromBase64Encoding(encoded.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
        if (decoded)
            values.append(QString::fromUtf8(*decoded));
    }
    const QJsonObject stringData = object.value(QLatin1String("stringData")).toObject();
    for (auto it = stringData.begin(); it != stringData.end(); ++it) {
        const QString plain = it.value().toString();
        values.append(plain);
        values.append(QString::fromLatin1(plain.toUtf8().toBase64()));
    }
    values.removeAll(QString());
    // Longest first, so a value containing another is replaced whole.
    std::sort(values.begin(), values.end(),
              [](const QString& a, const QString& b) { return a.size() > b.size(); });
    QString out = text;
    for (const QString& value : std::as_const(values)) {
        if (!out.contains(value))
            continue;
        if (value.size() < 4)
            return QStringLiteral("(the server's message is withheld: it may quote a value of the Secret)");
        out.replace(value, QStringLiteral("<secret value>"));
    }
    return out;
}

bool keptBySyncOptions(const kubeobj::Object& object) {
    const QStringList options = object.annotation(QStringLiteral("argocd.argoproj.io/sync-options"))
                                    .split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& entry : options) {
        const qsizetype eq = entry.indexOf(QLatin1Char('='));
        if (eq <= 0)
            continue;
        const QString name = entry.left(eq).trimmed();
        if ((name == QLatin1String("Prune") || name == QLatin1String("Delete")) &&
            entry.mid(eq + 1).trimmed().compare(QLatin1String("false"), Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

} // namespace driftdeck::sync
