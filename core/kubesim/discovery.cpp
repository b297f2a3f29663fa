#include "kubesim/discovery.h"

#include <QJsonArray>

namespace driftdeck::kubesim::discovery {
namespace {

QJsonObject groupObject(const ResourceRegistry& registry, const QString& name) {
    QJsonArray versions;
    for (const QString& v : registry.versions(name))
        versions.append(QJsonObject{{QStringLiteral("groupVersion"), QString(name + QLatin1Char('/') + v)},
                                    {QStringLiteral("version"), v}});
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("versions"), versions},
                       {QStringLiteral("preferredVersion"), versions.first()}};
}

} // namespace

QJsonObject version() {
    return QJsonObject{
        {QStringLiteral("major"), QStringLiteral("1")},
        {QStringLiteral("minor"), QStringLiteral("32")},
        {QStringLiteral("gitVersion"), QStringLiteral("v1.32.0-kubesim")},
        {QStringLiteral("gitCommit"), QStringLiteral("0000000000000000000000000000000000000000")},
        {QStringLiteral("gitTreeState"), QStringLiteral("clean")},
        {QStringLiteral("buildDate"), QStringLiteral("2024-12-11T00:00:00Z")},
        {QStringLiteral("goVersion"), QStringLiteral("go1.23.3")},
        {QStringLiteral("compiler"), QStringLiteral("gc")},
        {QStringLiteral("platform"), QStringLiteral("linux/amd64")}};
}

QJsonObject coreVersions(const QString& serverAddress) {
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIVersions")},
                       {QStringLiteral("versions"), QJsonArray{QStringLiteral("v1")}},
                       {QStringLiteral("serverAddressByClientCIDRs"),
                        QJsonArray{QJsonObject{{QStringLiteral("clientCIDR"), QStringLiteral("0.0.0.0/0")},
                                               {QStringLiteral("serverAddress"), serverAddress}}}}};
}

QJsonObject groupList(const ResourceRegistry& registry) {
    QJsonArray groups;
    for (const QString& name : registry.groups()) {
        if (!name.isEmpty())
            groups.append(groupObject(registry, name));
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("groups"), groups}};
}

QJsonObject group(const ResourceRegistry& registry, const QString& name) {
    if (name.isEmpty() || !registry.groups().contains(name))
        return {};
    QJsonObject out = groupObject(registry, name);
    out.insert(QStringLiteral("kind"), QStringLiteral("APIGroup"));
    out.insert(QStringLiteral("apiVersion"), QStringLiteral("v1"));
    return out;
}

QJsonObject resourceList(const ResourceRegistry& registry, const QString& group, const QString& version) {
    const QList<ResourceType> types = registry.resources(group, version);
    if (types.isEmpty())
        return {};
    QJsonArray resources;
    const QJsonArray subresourceVerbs{QStringLiteral("get"), QStringLiteral("patch"),
                                      QStringLiteral("update")};
    for (const ResourceType& t : types) {
        QJsonObject r{{QStringLiteral("name"), t.resource},
                      {QStringLiteral("singularName"), t.singular},
                      {QStringLiteral("namespaced"), t.namespaced},
                      {QStringLiteral("kind"), t.kind},
                      {QStringLiteral("verbs"), QJsonArray::fromStringList(t.verbs)}};
        if (!t.shortNames.isEmpty())
            r.insert(QStringLiteral("shortNames"), QJsonArray::fromStringList(t.shortNames));
        if (!t.categories.isEmpty())
            r.insert(QStringLiteral("categories"), QJsonArray::fromStringList(t.categories));
        resources.append(r);
        if (t.hasStatus)
            resources.append(
                QJsonObject{{QStringLiteral("name"), QString(t.resource + QStringLiteral("/status"))},
                            {QStringLiteral("singularName"), QString()},
                            {QStringLiteral("namespaced"), t.namespaced},
                            {QStringLiteral("kind"), t.kind},
                            {QStringLiteral("verbs"), subresourceVerbs}});
        if (t.hasScale)
            resources.append(
                QJsonObject{{QStringLiteral("name"), QString(t.resource + QStringLiteral("/scale"))},
                            {QStringLiteral("singularName"), QString()},
                            {QStringLiteral("namespaced"), t.namespaced},
                            {QStringLiteral("group"), QStringLiteral("autoscaling")},
                            {QStringLiteral("version"), QStringLiteral("v1")},
                            {QStringLiteral("kind"), QStringLiteral("Scale")},
                            {QStringLiteral("verbs"), subresourceVerbs}});
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIResourceList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                       {QStringLiteral("groupVersion"),
                        group.isEmpty() ? version : QString(group + QLatin1Char('/') + version)},
                       {QStringLiteral("resources"), resources}};
}

bool wantsAggregated(const QByteArray& acceptHeader) {
    // kubectl lists v2, then v2beta1, then plain JSON; only v2 is served here.
    return acceptHeader.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
}

QJsonObject aggregated(const ResourceRegistry& registry, bool core) {
    const QJsonArray subresourceVerbs{QStringLiteral("get"), QStringLiteral("patch"),
                                      QStringLiteral("update")};
    QJsonArray items;
    for (const QString& group : registry.groups()) {
        if (group.isEmpty() != core)
            continue;
        QJsonArray versions;
        for (const QString& version : registry.versions(group)) {
            QJsonArray resources;
            for (const ResourceType& t : registry.resources(group, version)) {
                const QJsonObject kind{{QStringLiteral("group"), QString()},
                                       {QStringLiteral("version"), QString()},
                                       {QStringLiteral("kind"), t.kind}};
                QJsonObject r{{QStringLiteral("resource"), t.resource},
                              {QStringLiteral("responseKind"), kind},
                              {QStringLiteral("scope"),
                               t.namespaced ? QStringLiteral("Namespaced") : QStringLiteral("Cluster")},
                              {QStringLiteral("singularResource"), t.singular},
                              {QStringLiteral("verbs"), QJsonArray::fromStringList(t.verbs)}};
                if (!t.shortNames.isEmpty())
                    r.insert(QStringLiteral("shortNames"), QJsonArray::fromStringList(t.shortNames));
                if (!t.categories.isEmpty())
                    r.insert(QStringLiteral("categories"), QJsonArray::fromStringList(t.categories));
                QJsonArray subresources;
                if (t.hasStatus)
                    subresources.append(QJsonObject{{QStringLiteral("subresource"), QStringLiteral("status")},
                                                    {QStringLiteral("responseKind"), kind},
                                                    {QStringLiteral("verbs"), subresourceVerbs}});
                if (t.hasScale)
                    subresources.append(
                        QJsonObject{{QStringLiteral("subresource"), QStringLiteral("scale")},
                                    {QStringLiteral("responseKind"),
                                     QJsonObject{{QStringLiteral("group"), QStringLiteral("autoscaling")},
                                                 {QStringLiteral("version"), QStringLiteral("v1")},
                                                 {QStringLiteral("kind"), QStringLiteral("Scale")}}},
                                    {QStringLiteral("verbs"), subresourceVerbs}});
                if (!subresources.isEmpty())
                    r.insert(QStringLiteral("subresources"), subresources);
                resources.append(r);
            }
            versions.append(QJsonObject{{QStringLiteral("version"), version},
                                        {QStringLiteral("resources"), resources},
                                        {QStringLiteral("freshness"), QStringLiteral("Current")}});
        }
        items.append(QJsonObject{{QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), group}}},
                                 {QStringLiteral("versions"), versions}});
    }
    return QJsonObject{{QStringLiteral("kind"), QStringLiteral("APIGroupDiscoveryList")},
                       {QStringLiteral("apiVersion"), QStringLiteral("apidiscovery.k8s.io/v2")},
                       {QStringLiteral("metadata"), QJsonObject()},
                       {QStringLiteral("items"), items}};
}

} // namespace driftdeck::kubesim::discovery
