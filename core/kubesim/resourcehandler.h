#pragma once

#include "kubesim/apierror.h"
#include "kubesim/httpconnection.h"
#include "kubesim/objectstore.h"

#include <optional>
#include <variant>

namespace driftdeck::kubesim {

struct FaultSettings;

// /api/v1/... and /apis/<group>/<version>/...: authorization and the verbs (get, list, watch, create,
// update, patch, delete, deletecollection) on the store, including the status and scale subresources,
// dryRun, fieldValidation, fieldManager, selectors and pagination.
class ResourceHandler {
public:
    ResourceHandler(ObjectStore* store, const FaultSettings* faults);
    void handle(HttpConnection* connection, const HttpRequest& request);

    // Largest stored object (the real server's etcd limit is 1.5 MiB).
    static constexpr qsizetype kMaxObjectBytes = 3 * 512 * 1024;

private:
    struct Target {
        ResourceType type;
        QString ns;
        QString name;
        QString subresource;
    };
    using Reply = std::variant<HttpResponse, ApiError>;

    std::optional<Target> resolve(const QString& path) const;
    std::optional<ApiError> authorize(const HttpRequest& request, const Target& target,
                                      const QString& verb) const;
    Reply get(const HttpRequest& request, const Target& target);
    Reply list(const HttpRequest& request, const Target& target);
    void watch(HttpConnection* connection, const HttpRequest& request, const Target& target);
    Reply create(const HttpRequest& request, const Target& target);
    Reply update(const HttpRequest& request, const Target& target);
    Reply patch(const HttpRequest& request, const Target& target);
    Reply remove(const HttpRequest& request, const Target& target);
    Reply removeCollection(const HttpRequest& request, const Target& target);
    // Checks size and fieldValidation, then writes; `warnings` collects Warning headers.
    Reply write(const HttpRequest& request, const Target& target, QJsonObject object, bool exists, bool apply,
                int successCode);

    ObjectStore* m_store;
    const FaultSettings* m_faults;
};

} // namespace driftdeck::kubesim
