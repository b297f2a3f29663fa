#include "kubesim/resourcehandler.h"

#include "kubesim/admission.h"
#include "kubesim/apiserver.h"
#include "kubesim/faults.h"
#include "kubesim/labelselector.h"
#include "kubesim/protobufbody.h"
#include "kubesim/tableformat.h"
#include "kubesim/watchstream.h"
#include "yaml/yamlcodec.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace driftdeck::kubesim {
namespace {

const QString kMetadata = QStringLiteral("metadata");

ApiError badRequest(const QString& message) {
    return ApiError{400, QStringLiteral("BadRequest"), message, {}};
}

ApiError notFoundPath() {
    return ApiError{404,
                    QStringLiteral("NotFound"),
                    QStringLiteral("the server could not find the requested resource"),
                    {}};
}

HttpResponse objectResponse(int status, const QJsonObject& object) {
    return jsonResponse(status, object);
}

std::variant<QJsonObject, ApiError> decodeBody(const HttpRequest& request) {
    const QByteArray contentType = request.header("content-type").toLower();
    if (contentType.contains("protobuf"))
        return decodeProtobufObject(request.body);
    if (contentType.contains("yaml")) {
        Result<QJsonValue> doc = yaml::parseDocument(request.body);
        if (!doc)
            return badRequest(QStringLiteral("error decoding YAML: ") + doc.error().message);
        if (!doc->isObject())
            return badRequest(QStringLiteral("error decoding YAML: the body is not an object"));
        return doc->toObject();
    }
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return badRequest(QStringLiteral("error decoding JSON body: ") + error.errorString());
    return doc.object();
}

QString fieldManagerFor(const HttpRequest& request) {
    const QString manager = request.queryValue("fieldManager");
    if (!manager.isEmpty())
        return manager;
    return admission::defaultFieldManager(QString::fromUtf8(request.header("user-agent")));
}

QJsonObject toScale(const QJsonObject& obj) {
    const QJsonObject meta = obj.value(kMetadata).toObject();
    QJsonObject scaleMeta;
    for (const char* key : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"}) {
        const QString k = QString::fromLatin1(key);
        if (meta.contains(k))
            scaleMeta.insert(k, meta.value(k));
    }
    const QJsonObject spec = obj.value(QStringLiteral("spec")).toObject();
    QStringList selector;
    const QJsonObject matchLabels =
        spec.value(QStringLiteral("selector")).toObject().value(QStringLiteral("matchLabels")).toObject();
    for (auto it = matchLabels.begin(); it != matchLabels.end(); ++it)
        selector.append(it.key() + QLatin1Char('=') + it.value().toString());
    return QJsonObject{
        {QStringLiteral("kind"), QStringLiteral("Scale")},
        {QStringLiteral("apiVersion"), QStringLiteral("autoscaling/v1")},
        {kMetadata, scaleMeta},
        {QStringLiteral("spec"),
         QJsonObject{{QStringLiteral("replicas"), spec.value(QStringLiteral("replicas")).toInt(1)}}},
        {QStringLiteral("status"),
         QJsonObject{
             {QStringLiteral("replicas"),
              obj.value(QStringLiteral("status")).toObject().value(QStringLiteral("replicas")).toInt()},
             {QStringLiteral("selector"), selector.join(QLatin1Char(','))}}}};
}

struct ContinueToken {
    qint64 resourceVersion = 0;
    QString start; // "ns/name" of the last item returned
};

QString encodeContinue(const ContinueToken& token) {
    const QJsonObject json{{QStringLiteral("rv"), QString::number(token.resourceVersion)},
                           {QStringLiteral("start"), token.start}};
    return QString::fromLatin1(
        QJsonDocument(json).toJson(QJsonDocument::Compact).toBase64(QByteArray::Base64UrlEncoding));
}

std::optional<ContinueToken> decodeContinue(const QString& text) {
    const QJsonDocument doc =
        QJsonDocument::fromJson(QByteArray::fromBase64(text.toLatin1(), QByteArray::Base64UrlEncoding));
    if (!doc.isObject())
        return std::nullopt;
    return ContinueToken{doc.object().value(QStringLiteral("rv")).toString().toLongLong(),
                         doc.object().value(QStringLiteral("start")).toString()};
}

QString keyOf(const QJsonObject& obj) {
    const QJsonObject meta = obj.value(kMetadata).toObject();
    return meta.value(QStringLiteral("namespace")).toString() + QLatin1Char('/') +
           meta.value(QStringLiteral("name")).toString();
}

} // namespace

ResourceHandler::ResourceHandler(ObjectStore* store, const FaultSettings* faults)
    : m_store(store)
    , m_faults(faults) {}

std::optional<ResourceHandler::Target> ResourceHandler::resolve(const QString& path) const {
    QStringList parts = path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    QString group;
    QString version;
    if (parts.size() >= 3 && parts.at(0) == QLatin1String("api")) {
        version = parts.at(1);
        parts = parts.mid(2);
    } else if (parts.size() >= 4 && parts.at(0) == QLatin1String("apis")) {
        group = parts.at(1);
        version = parts.at(2);
        parts = parts.mid(3);
    } else {
        return std::nullopt;
    }
    Target target;
    if (parts.size() >= 3 && parts.at(0) == QLatin1String("namespaces")) {
        if (auto type = m_store->registry().find(group, version, parts.at(2)); type && type->namespaced) {
            target.ns = parts.at(1);
            parts = parts.mid(2);
        }
    }
    if (parts.isEmpty() || parts.size() > 3)
        return std::nullopt;
    const std::optional<ResourceType> type = m_store->registry().find(group, version, parts.at(0));
    if (!type)
        return std::nullopt;
    target.type = *type;
    target.name = parts.value(1);
    target.subresource = parts.value(2);
    if (!target.subresource.isEmpty() &&
        !(target.subresource == QLatin1String("status") && type->hasStatus) &&
        !(target.subresource == QLatin1String("scale") && type->hasScale))
        return std::nullopt;
    return target;
}

std::optional<ApiError> ResourceHandler::authorize(const HttpRequest& request, const Target& target,
                                                   const QString& verb) const {
    const bool refusedByFault = m_faults && m_faults->forbiddenResources.contains(target.type.resource);
    if (request.user == QLatin1String("admin") && !refusedByFault)
        return std::nullopt;
    if (request.user == QLatin1String("viewer") && !refusedByFault &&
        (verb == QLatin1String("get") || verb == QLatin1String("list") || verb == QLatin1String("watch")))
        return std::nullopt;
    const ResourceType& t = target.type;
    const QString resource =
        target.subresource.isEmpty() ? t.resource : t.resource + QLatin1Char('/') + target.subresource;
    QString message = target.name.isEmpty()
                          ? QStringLiteral("%1 is forbidden: ").arg(t.groupResource())
                          : QStringLiteral("%1 \"%2\" is forbidden: ").arg(t.groupResource(), target.name);
    message += QStringLiteral("User \"%1\" cannot %2 resource \"%3\" in API group \"%4\"")
                   .arg(request.user, verb, resource, t.group);
    message += t.namespaced && !target.ns.isEmpty()
                   ? QStringLiteral(" in the namespace \"%1\"").arg(target.ns)
                   : QStringLiteral(" at the cluster scope");
    return ApiError{403, QStringLiteral("Forbidden"), message,
                    QJsonObject{{QStringLiteral("name"), target.name},
                                {QStringLiteral("group"), t.group},
                                {QStringLiteral("kind"), t.resource}}};
}

void ResourceHandler::handle(HttpConnection* connection, const HttpRequest& request) {
    const std::optional<Target> target = resolve(request.path);
    if (!target) {
        connection->respond(jsonResponse(404, notFoundPath().toStatus()));
        return;
    }
    const QByteArray& method = request.method;
    const QString watchParam = request.queryValue("watch");
    const bool isWatch = watchParam == QLatin1String("1") || watchParam == QLatin1String("true");
    QString verb;
    if (method == "GET")
        verb = !target->name.isEmpty() ? QStringLiteral("get")
               : isWatch               ? QStringLiteral("watch")
                                       : QStringLiteral("list");
    else if (method == "POST" && target->name.isEmpty())
        verb = QStringLiteral("create");
    else if (method == "PUT" && !target->name.isEmpty())
        verb = QStringLiteral("update");
    else if (method == "PATCH" && !target->name.isEmpty())
        verb = QStringLiteral("patch");
    else if (method == "DELETE")
        verb = target->name.isEmpty() ? QStringLiteral("deletecollection") : QStringLiteral("delete");
    if (verb.isEmpty()) {
        connection->respond(jsonResponse(
            405, ApiError{405,
                          QStringLiteral("MethodNotAllowed"),
                          QStringLiteral("the server does not allow this method on the requested resource"),
                          {}}
                     .toStatus()));
        return;
    }
    if (auto denied = authorize(request, *target, verb)) {
        connection->respond(jsonResponse(denied->code, denied->toStatus()));
        return;
    }
    const QString dryRun = request.queryValue("dryRun");
    if (!dryRun.isEmpty() && dryRun != QLatin1String("All")) {
        connection->respond(
            jsonResponse(400, badRequest(QStringLiteral("Invalid dryRun value: %1").arg(dryRun)).toStatus()));
        return;
    }
    if (verb == QLatin1String("watch")) {
        watch(connection, request, *target);
        return;
    }
    Reply reply;
    if (verb == QLatin1String("get"))
        reply = get(request, *target);
    else if (verb == QLatin1String("list"))
        reply = list(request, *target);
    else if (verb == QLatin1String("create"))
        reply = create(request, *target);
    else if (verb == QLatin1String("update"))
        reply = update(request, *target);
    else if (verb == QLatin1String("patch"))
        reply = patch(request, *target);
    else if (verb == QLatin1String("delete"))
        reply = remove(request, *target);
    else
        reply = removeCollection(request, *target);
    if (auto* error = std::get_if<ApiError>(&reply))
        connection->respond(jsonResponse(error->code, error->toStatus()));
    else
        connection->respond(std::get<HttpResponse>(reply));
}

ResourceHandler::Reply ResourceHandler::get(const HttpRequest& request, const Target& target) {
    const std::optional<QJsonObject> obj = m_store->get(target.type, target.ns, target.name);
    if (!obj)
        return ApiError{404, QStringLiteral("NotFound"),
                        QStringLiteral("%1 \"%2\" not found").arg(target.type.groupResource(), target.name),
                        QJsonObject{{QStringLiteral("name"), target.name},
                                    {QStringLiteral("group"), target.type.group},
                                    {QStringLiteral("kind"), target.type.resource}}};
    if (target.subresource == QLatin1String("scale"))
        return objectResponse(200, toScale(*obj));
    if (wantsTable(request.header("accept")))
        return objectResponse(200, toTable(target.type, {*obj},
                                           QJsonObject{{QStringLiteral("resourceVersion"),
                                                        QString::number(m_store->resourceVersion())}}));
    return objectResponse(200, *obj);
}

ResourceHandler::Reply ResourceHandler::list(const HttpRequest& request, const Target& target) {
    auto labels = LabelSelector::parse(request.queryValue("labelSelector"));
    if (auto* error = std::get_if<ApiError>(&labels))
        return *error;
    auto fields = FieldSelector::parse(request.queryValue("fieldSelector"));
    if (auto* error = std::get_if<ApiError>(&fields))
        return *error;
    const LabelSelector& labelSelector = std::get<LabelSelector>(labels);
    const FieldSelector& fieldSelector = std::get<FieldSelector>(fields);

    qint64 listVersion = m_store->resourceVersion();
    QString start;
    const QString continueText = request.queryValue("continue");
    if (!continueText.isEmpty()) {
        const std::optional<ContinueToken> token = decodeContinue(continueText);
        if (!token)
            return badRequest(
                QStringLiteral("continue key is not valid: incorrect encoded start resourceVersion"));
        if (std::holds_alternative<ApiError>(m_store->eventsSince(token->resourceVersion)))
            return ApiError{
                410,
                QStringLiteral("Expired"),
                QStringLiteral("The provided continue parameter is too old to display a consistent list "
                               "result. You can start a new list without the continue parameter."),
                {}};
        listVersion = token->resourceVersion;
        start = token->start;
    }
    const int limit = request.queryValue("limit").toInt();
    QList<QJsonObject> items;
    int remaining = 0;
    QString lastKey;
    for (const QJsonObject& obj : m_store->list(target.type, target.ns)) {
        if (!start.isEmpty() && keyOf(obj) <= start)
            continue;
        if (!labelSelector.matches(
                obj.value(kMetadata).toObject().value(QStringLiteral("labels")).toObject()) ||
            !fieldSelector.matches(obj))
            continue;
        if (limit > 0 && items.size() >= limit) {
            ++remaining;
            continue;
        }
        items.append(obj);
        lastKey = keyOf(obj);
    }
    QJsonObject listMeta{{QStringLiteral("resourceVersion"), QString::number(listVersion)}};
    if (remaining > 0) {
        listMeta.insert(QStringLiteral("continue"), encodeContinue({listVersion, lastKey}));
        listMeta.insert(QStringLiteral("remainingItemCount"), remaining);
    }
    if (wantsTable(request.header("accept")))
        return objectResponse(200, toTable(target.type, items, listMeta));
    QJsonArray array;
    for (const QJsonObject& obj : items)
        array.append(obj);
    return objectResponse(
        200, QJsonObject{{QStringLiteral("kind"), QString(target.type.kind + QStringLiteral("List"))},
                         {QStringLiteral("apiVersion"), target.type.apiVersion()},
                         {kMetadata, listMeta},
                         {QStringLiteral("items"), array}});
}

void ResourceHandler::watch(HttpConnection* connection, const HttpRequest& request, const Target& target) {
    auto labels = LabelSelector::parse(request.queryValue("labelSelector"));
    auto fields = FieldSelector::parse(request.queryValue("fieldSelector"));
    if (auto* error = std::get_if<ApiError>(&labels)) {
        connection->respond(jsonResponse(error->code, error->toStatus()));
        return;
    }
    if (auto* error = std::get_if<ApiError>(&fields)) {
        connection->respond(jsonResponse(error->code, error->toStatus()));
        return;
    }
    WatchRequest watch;
    watch.type = target.type;
    watch.ns = target.ns;
    watch.labels = std::get<LabelSelector>(labels);
    watch.fields = std::get<FieldSelector>(fields);
    watch.resourceVersion = request.queryValue("resourceVersion").toLongLong();
    const QString bookmarks = request.queryValue("allowWatchBookmarks");
    watch.bookmarks = bookmarks == QLatin1String("true") || bookmarks == QLatin1String("1");
    watch.table = wantsTable(request.header("accept"));
    watch.timeoutSeconds = request.queryValue("timeoutSeconds").toInt();
    watch.dropAfterSeconds = m_faults->dropWatchSeconds;
    watch.faults = m_faults;
    auto* stream = new WatchStream(m_store, connection, std::move(watch));
    stream->start();
}

ResourceHandler::Reply ResourceHandler::write(const HttpRequest& request, const Target& target,
                                              QJsonObject object, bool exists, bool apply, int successCode) {
    if (QJsonDocument(object).toJson(QJsonDocument::Compact).size() > kMaxObjectBytes)
        return ApiError{422,
                        QStringLiteral("RequestEntityTooLarge"),
                        QStringLiteral("etcdserver: request is too large"),
                        {}};
    QList<std::pair<QByteArray, QByteArray>> warnings;
    const QString validation = request.queryValue("fieldValidation");
    if (validation != QLatin1String("Ignore")) {
        const QStringList unknown = admission::unknownFields(target.type, object);
        QStringList messages;
        for (const QString& field : unknown)
            messages.append(QStringLiteral("unknown field \"%1\"").arg(field));
        if (!messages.isEmpty() && validation == QLatin1String("Strict"))
            return badRequest(
                QStringLiteral("%1 in version \"%2\" cannot be handled as a %1: strict decoding "
                               "error: ")
                    .arg(target.type.kind, target.type.version) +
                messages.join(QStringLiteral(", ")));
        for (const QString& message : messages) {
            QByteArray quoted = message.toUtf8();
            quoted.replace('\\', "\\\\").replace('"', "\\\"");
            warnings.append({"Warning", "299 - \"" + quoted + '"'});
        }
    }
    WriteOptions options;
    options.fieldManager = fieldManagerFor(request);
    options.dryRun = request.queryValue("dryRun") == QLatin1String("All");
    options.subresource = target.subresource;
    if (apply)
        options.operation = QStringLiteral("Apply");
    StoreResult result = exists ? m_store->update(target.type, std::move(object), options)
                                : m_store->create(target.type, std::move(object), options);
    if (auto* error = std::get_if<ApiError>(&result))
        return *error;
    HttpResponse response = objectResponse(successCode, std::get<QJsonObject>(result));
    response.headers += warnings;
    return response;
}

ResourceHandler::Reply ResourceHandler::create(const HttpRequest& request, const Target& target) {
    auto decoded = decodeBody(request);
    if (auto* error = std::get_if<ApiError>(&decoded))
        return *error;
    QJsonObject object = std::get<QJsonObject>(decoded);
    const QString kind = object.value(QStringLiteral("kind")).toString();
    if (!kind.isEmpty() && kind != target.type.kind)
        return badRequest(
            QStringLiteral("the kind of the provided object (%1) does not match the resource (%2)")
                .arg(kind, target.type.kind));
    QJsonObject meta = object.value(kMetadata).toObject();
    if (target.type.namespaced) {
        const QString ns = meta.value(QStringLiteral("namespace")).toString();
        if (!ns.isEmpty() && !target.ns.isEmpty() && ns != target.ns)
            return badRequest(
                QStringLiteral("the namespace of the provided object does not match the namespace sent "
                               "on the request"));
        if (!target.ns.isEmpty())
            meta.insert(QStringLiteral("namespace"), target.ns);
        object.insert(kMetadata, meta);
    }
    return write(request, target, object, false, false, 201);
}

ResourceHandler::Reply ResourceHandler::update(const HttpRequest& request, const Target& target) {
    auto decoded = decodeBody(request);
    if (auto* error = std::get_if<ApiError>(&decoded))
        return *error;
    QJsonObject object = std::get<QJsonObject>(decoded);
    QJsonObject meta = object.value(kMetadata).toObject();
    if (meta.value(QStringLiteral("name")).toString() != target.name)
        return badRequest(
            QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                .arg(meta.value(QStringLiteral("name")).toString(), target.name));
    if (target.subresource == QLatin1String("scale")) {
        std::optional<QJsonObject> live = m_store->get(target.type, target.ns, target.name);
        if (!live)
            return get(request, target);
        QJsonObject spec = live->value(QStringLiteral("spec")).toObject();
        spec.insert(
            QStringLiteral("replicas"),
            object.value(QStringLiteral("spec")).toObject().value(QStringLiteral("replicas")).toInt());
        live->insert(QStringLiteral("spec"), spec);
        QJsonObject liveMeta = live->value(kMetadata).toObject();
        if (meta.contains(QStringLiteral("resourceVersion")))
            liveMeta.insert(QStringLiteral("resourceVersion"), meta.value(QStringLiteral("resourceVersion")));
        live->insert(kMetadata, liveMeta);
        Reply reply = write(request, target, *live, true, false, 200);
        if (auto* response = std::get_if<HttpResponse>(&reply))
            response->body = QJsonDocument(toScale(QJsonDocument::fromJson(response->body).object()))
                                 .toJson(QJsonDocument::Compact);
        return reply;
    }
    if (target.type.namespaced) {
        meta.insert(QStringLiteral("namespace"), target.ns);
        object.insert(kMetadata, meta);
    }
    return write(request, target, object, true, false, 200);
}

ResourceHandler::Reply ResourceHandler::patch(const HttpRequest& request, const Target& target) {
    const QByteArray contentType = request.header("content-type").split(';').value(0).trimmed().toLower();
    std::optional<QJsonObject> live = m_store->get(target.type, target.ns, target.name);
    const ApiError missing{
        404, QStringLiteral("NotFound"),
        QStringLiteral("%1 \"%2\" not found").arg(target.type.groupResource(), target.name),
        QJsonObject{{QStringLiteral("name"), target.name},
                    {QStringLiteral("group"), target.type.group},
                    {QStringLiteral("kind"), target.type.resource}}};
    if (contentType == "application/apply-patch+yaml" || contentType == "application/apply-patch+json") {
        if (request.queryValue("fieldManager").isEmpty())
            return ApiError{
                422,
                QStringLiteral("Invalid"),
                QStringLiteral("PATCH %1: fieldManager: Required value: is required for apply patch")
                    .arg(target.name),
                {}};
        if (!target.subresource.isEmpty() && !live)
            return missing;
        auto decoded = decodeBody(request);
        if (auto* error = std::get_if<ApiError>(&decoded))
            return *error;
        QJsonObject applied = std::get<QJsonObject>(decoded);
        QJsonObject meta = applied.value(kMetadata).toObject();
        if (applied.value(QStringLiteral("kind")).toString() != target.type.kind)
            return badRequest(
                QStringLiteral("the kind of the applied object (%1) does not match the resource (%2)")
                    .arg(applied.value(QStringLiteral("kind")).toString(), target.type.kind));
        if (!meta.value(QStringLiteral("name")).toString().isEmpty() &&
            meta.value(QStringLiteral("name")).toString() != target.name)
            return badRequest(
                QStringLiteral("the name of the object (%1) does not match the name on the URL (%2)")
                    .arg(meta.value(QStringLiteral("name")).toString(), target.name));
        meta.insert(QStringLiteral("name"), target.name);
        if (target.type.namespaced)
            meta.insert(QStringLiteral("namespace"), target.ns);
        applied.insert(kMetadata, meta);
        const bool force = request.queryValue("force") == QLatin1String("true");
        auto merged = admission::apply(target.type, live ? *live : QJsonObject(), applied,
                                       request.queryValue("fieldManager"), force);
        if (auto* error = std::get_if<ApiError>(&merged))
            return *error;
        return write(request, target, std::get<QJsonObject>(merged), live.has_value(), true,
                     live ? 200 : 201);
    }
    admission::PatchType patchType;
    if (contentType == "application/merge-patch+json")
        patchType = admission::PatchType::Merge;
    else if (contentType == "application/json-patch+json")
        patchType = admission::PatchType::Json;
    else if (contentType == "application/strategic-merge-patch+json")
        patchType = admission::PatchType::Strategic;
    else
        return ApiError{
            415,
            QStringLiteral("UnsupportedMediaType"),
            QStringLiteral("the body of the request was in an unknown format - accepted media types "
                           "include: application/json-patch+json, application/merge-patch+json, "
                           "application/apply-patch+yaml, application/strategic-merge-patch+json"),
            {}};
    if (!live)
        return missing;
    if (target.subresource == QLatin1String("scale")) {
        auto scaled = admission::patch(patchType == admission::PatchType::Json ? patchType
                                                                               : admission::PatchType::Merge,
                                       target.type, toScale(*live), request.body);
        if (auto* error = std::get_if<ApiError>(&scaled))
            return *error;
        QJsonObject spec = live->value(QStringLiteral("spec")).toObject();
        spec.insert(QStringLiteral("replicas"), std::get<QJsonObject>(scaled)
                                                    .value(QStringLiteral("spec"))
                                                    .toObject()
                                                    .value(QStringLiteral("replicas")));
        live->insert(QStringLiteral("spec"), spec);
        Reply reply = write(request, target, *live, true, false, 200);
        if (auto* response = std::get_if<HttpResponse>(&reply))
            response->body = QJsonDocument(toScale(QJsonDocument::fromJson(response->body).object()))
                                 .toJson(QJsonDocument::Compact);
        return reply;
    }
    auto patched = admission::patch(patchType, target.type, *live, request.body);
    if (auto* error = std::get_if<ApiError>(&patched))
        return *error;
    QJsonObject object = std::get<QJsonObject>(patched);
    QJsonObject meta = object.value(kMetadata).toObject();
    meta.insert(QStringLiteral("name"), target.name);
    if (target.type.namespaced)
        meta.insert(QStringLiteral("namespace"), target.ns);
    object.insert(kMetadata, meta);
    return write(request, target, object, true, false, 200);
}

namespace {

std::variant<DeletePropagation, ApiError> propagationOf(const HttpRequest& request, QJsonObject* options) {
    if (!request.body.trimmed().isEmpty()) {
        const QJsonDocument doc = QJsonDocument::fromJson(request.body);
        if (!doc.isObject())
            return badRequest(QStringLiteral("the body of the delete request is not DeleteOptions"));
        *options = doc.object();
    }
    QString policy = request.queryValue("propagationPolicy");
    if (policy.isEmpty())
        policy = options->value(QStringLiteral("propagationPolicy")).toString();
    if (policy.isEmpty() && options->contains(QStringLiteral("orphanDependents")))
        policy = options->value(QStringLiteral("orphanDependents")).toBool() ? QStringLiteral("Orphan")
                                                                             : QStringLiteral("Background");
    if (policy.isEmpty() || policy == QLatin1String("Background"))
        return DeletePropagation::Background;
    if (policy == QLatin1String("Foreground"))
        return DeletePropagation::Foreground;
    if (policy == QLatin1String("Orphan"))
        return DeletePropagation::Orphan;
    return badRequest(QStringLiteral("propagationPolicy: Unsupported value: \"%1\"").arg(policy));
}

} // namespace

ResourceHandler::Reply ResourceHandler::remove(const HttpRequest& request, const Target& target) {
    QJsonObject deleteOptions;
    auto propagation = propagationOf(request, &deleteOptions);
    if (auto* error = std::get_if<ApiError>(&propagation))
        return *error;
    WriteOptions options;
    options.fieldManager = fieldManagerFor(request);
    options.dryRun = request.queryValue("dryRun") == QLatin1String("All") ||
                     deleteOptions.value(QStringLiteral("dryRun")).toArray().contains(QStringLiteral("All"));
    const QJsonObject preconditions = deleteOptions.value(QStringLiteral("preconditions")).toObject();
    if (!preconditions.isEmpty()) {
        if (auto live = m_store->get(target.type, target.ns, target.name)) {
            const QJsonObject meta = live->value(kMetadata).toObject();
            for (const char* key : {"uid", "resourceVersion"}) {
                const QString k = QString::fromLatin1(key);
                if (preconditions.contains(k) && preconditions.value(k) != meta.value(k))
                    return ApiError{
                        409,
                        QStringLiteral("Conflict"),
                        QStringLiteral("Operation cannot be fulfilled on %1 \"%2\": Precondition failed: %3")
                            .arg(target.type.groupResource(), target.name, k),
                        {}};
            }
        }
    }
    StoreResult result = m_store->remove(target.type, target.ns, target.name,
                                         std::get<DeletePropagation>(propagation), options);
    if (auto* error = std::get_if<ApiError>(&result))
        return *error;
    const QJsonObject& obj = std::get<QJsonObject>(result);
    const QJsonObject meta = obj.value(kMetadata).toObject();
    if (meta.contains(QStringLiteral("deletionTimestamp")) && !options.dryRun &&
        m_store->get(target.type, target.ns, target.name))
        return objectResponse(200, obj);
    return objectResponse(
        200, QJsonObject{{QStringLiteral("kind"), QStringLiteral("Status")},
                         {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                         {kMetadata, QJsonObject()},
                         {QStringLiteral("status"), QStringLiteral("Success")},
                         {QStringLiteral("details"),
                          QJsonObject{{QStringLiteral("name"), target.name},
                                      {QStringLiteral("group"), target.type.group},
                                      {QStringLiteral("kind"), target.type.resource},
                                      {QStringLiteral("uid"), meta.value(QStringLiteral("uid"))}}}});
}

ResourceHandler::Reply ResourceHandler::removeCollection(const HttpRequest& request, const Target& target) {
    Reply listed = list(request, target);
    if (auto* error = std::get_if<ApiError>(&listed))
        return *error;
    QJsonObject deleteOptions;
    auto propagation = propagationOf(request, &deleteOptions);
    if (auto* error = std::get_if<ApiError>(&propagation))
        return *error;
    WriteOptions options;
    options.fieldManager = fieldManagerFor(request);
    options.dryRun = request.queryValue("dryRun") == QLatin1String("All");
    const QJsonObject body = QJsonDocument::fromJson(std::get<HttpResponse>(listed).body).object();
    QJsonArray deleted;
    for (const QJsonValue& item : body.value(QStringLiteral("items")).toArray()) {
        const QJsonObject meta = item.toObject().value(kMetadata).toObject();
        StoreResult result = m_store->remove(target.type, meta.value(QStringLiteral("namespace")).toString(),
                                             meta.value(QStringLiteral("name")).toString(),
                                             std::get<DeletePropagation>(propagation), options);
        if (auto* obj = std::get_if<QJsonObject>(&result))
            deleted.append(*obj);
    }
    QJsonObject out = body;
    out.insert(QStringLiteral("items"), deleted);
    return objectResponse(200, out);
}

} // namespace driftdeck::kubesim
