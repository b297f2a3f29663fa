#include "workspace/argocdimport.h"

#include "workspace/linefinder.h"
#include "workspace/workspacelog.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonArray>
#include <QUrl>

#include <array>

namespace driftdeck::workspace {

using namespace Qt::StringLiterals;

namespace {

// Argo CD passes a parameter's value to `helm --set` with its commas escaped (helm would read an
// unescaped comma as the start of another name=value pair), except a value in braces (a list).
QString helmSetValue(const QString& value) {
    if (value.startsWith(u'{') && value.endsWith(u'}'))
        return value;
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        if (value.at(i) == u',' && (i == 0 || value.at(i - 1) != u'\\'))
            out += u'\\';
        out += value.at(i);
    }
    return out;
}

constexpr qint64 MaxFileBytes = 10 * 1024 * 1024;

QString normalisedRepoUrl(QString url) {
    url = url.trimmed();
    while (url.endsWith(u'/'))
        url.chop(1);
    if (url.endsWith(".git"_L1))
        url.chop(4);
    return url.toLower();
}

QString normalisedServer(QString server) {
    server = server.trimmed();
    while (server.endsWith(u'/'))
        server.chop(1);
    return server;
}

// Converts one Application; state shared across the whole import lives in ArgoImportResult.
class ApplicationConverter {
public:
    ApplicationConverter(const ArgoImportContext& context, ArgoImportResult& result)
        : m_context(context)
        , m_result(result) {}

    void convert(const QJsonObject& application, const QString& where);

private:
    void warn(const QString& text) {
        m_result.warnings.append(m_where + u": application '"_s + m_name + u"': "_s + text);
    }
    void note(const QString& text) {
        m_result.notes.append(m_where + u": application '"_s + m_name + u"': "_s + text);
    }
    void unsupportedKeys(const QJsonObject& object, const QString& path, const QStringList& known) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!known.contains(it.key()))
                warn(u"%1.%2 is not supported and was ignored"_s.arg(path, it.key()));
        }
    }

    bool readSource(const QJsonObject& source, const QString& path, AppSpec& app);
    bool readHelm(const QJsonObject& helm, const QString& path, const QString& appPath, RendererSpec& spec);
    void readKustomize(const QJsonObject& kustomize, const QString& path, RendererSpec& spec);
    void readDirectory(const QJsonObject& directory, const QString& path, RendererSpec& spec);
    bool readDestination(const QJsonObject& destination, AppSpec& app);
    void readSyncPolicy(const QJsonObject& syncPolicy, AppSpec& app);
    void readIgnoreDifferences(const QJsonArray& rules, AppSpec& app);
    QString repositoryFor(const QString& url);
    std::array<const QList<RepoSpec>*, 2> knownRepositories() const {
        return {&m_context.repositories, &m_result.newRepositories};
    }
    std::array<const QList<ClusterSpec>*, 2> knownClusters() const {
        return {&m_context.clusters, &m_result.newClusters};
    }
    QString clusterForContext(const QString& context);

    const ArgoImportContext& m_context;
    ArgoImportResult& m_result;
    QString m_where;
    QString m_name;
};

QString ApplicationConverter::repositoryFor(const QString& url) {
    const QString wanted = normalisedRepoUrl(url);
    for (const QList<RepoSpec>* repos : knownRepositories()) {
        for (const RepoSpec& repo : *repos) {
            if (normalisedRepoUrl(repo.url) == wanted)
                return repo.name;
        }
    }
    QString base = QUrl(url).path().section(u'/', -1);
    if (base.isEmpty())
        base = url.section(u'/', -1).section(u':', -1);
    if (base.endsWith(".git"_L1))
        base.chop(4);
    if (base.isEmpty())
        base = u"repo"_s;
    QString name = base;
    auto taken = [&](const QString& candidate) {
        for (const QList<RepoSpec>* repos : knownRepositories()) {
            for (const RepoSpec& repo : *repos) {
                if (repo.name == candidate)
                    return true;
            }
        }
        return false;
    };
    for (int n = 2; taken(name); ++n)
        name = base + u'-' + QString::number(n);
    RepoSpec repo;
    repo.name = name;
    repo.url = url;
    m_result.newRepositories.append(repo);
    note(u"repository '%1' added for %2 (no credentials: add them in the workspace if it is private)"_s.arg(
        name, url));
    return name;
}

QString ApplicationConverter::clusterForContext(const QString& context) {
    for (const QList<ClusterSpec>* clusters : knownClusters()) {
        for (const ClusterSpec& cluster : *clusters) {
            if (cluster.context == context)
                return cluster.name;
        }
    }
    m_result.newClusters.append(ClusterSpec{context, context, {}});
    note(u"cluster '%1' added for kubeconfig context '%1'"_s.arg(context));
    return context;
}

// The manifest is the repository's text: a release name or value file from it must not become an
// option of helm or a file outside the repository (cf. Argo CD CVE-2022-24348).
bool ApplicationConverter::readHelm(const QJsonObject& helm, const QString& path, const QString& appPath,
                                    RendererSpec& spec) {
    unsupportedKeys(
        helm, path,
        {u"releaseName"_s, u"valueFiles"_s, u"parameters"_s, u"values"_s, u"valuesObject"_s, u"namespace"_s});
    spec.helm.releaseName = helm.value("releaseName"_L1).toString();
    if (helm.contains("releaseName"_L1) && !helmcheck::isValidReleaseName(spec.helm.releaseName)) {
        warn(u"%1.releaseName is not a valid Helm release name (lower-case letters, digits, '-' and '.', at "
             u"most 53, starting and ending with a letter or digit); application skipped"_s.arg(path));
        return false;
    }
    spec.helm.ns = helm.value("namespace"_L1).toString();
    for (const QJsonValue& file : helm.value("valueFiles"_L1).toArray()) {
        if (file.toString().startsWith(u'$')) {
            warn(u"%1.valueFiles: '%2' refers to another source, which is not supported; helm will not find "
                 u"it"_s.arg(path, file.toString()));
        } else if (const QString problem = helmcheck::valueFileProblem(file.toString(), appPath);
                   !problem.isEmpty()) {
            warn(u"%1.valueFiles: %2; application skipped"_s.arg(path, problem));
            return false;
        }
        spec.helm.valueFiles.append(file.toString());
    }
    for (const QJsonValue& value : helm.value("parameters"_L1).toArray()) {
        const QJsonObject parameter = value.toObject();
        const QString name = parameter.value("name"_L1).toString();
        if (name.isEmpty()) {
            warn(path + u".parameters has an entry without a name; it was ignored"_s);
            continue;
        }
        spec.helm.parameters.append(name + u'=' + helmSetValue(parameter.value("value"_L1).toString()));
        if (parameter.value("forceString"_L1).toBool())
            warn(u"%1.parameters[%2].forceString is not supported: passed with --set, not --set-string"_s.arg(
                path, name));
        unsupportedKeys(parameter, path + u".parameters["_s + name + u']',
                        {u"name"_s, u"value"_s, u"forceString"_s});
    }
    QJsonObject values;
    if (helm.contains("values"_L1)) {
        // `values` is a YAML document inside a string.
        const Result<QJsonValue> parsed =
            yaml::parseDocument(helm.value("values"_L1).toString().toUtf8(), path + u".values"_s);
        if (!parsed || !(parsed->isObject() || parsed->isNull()))
            warn(path + u".values is not a YAML mapping and was ignored"_s);
        else
            values = parsed->toObject();
    }
    // As in Argo CD, valuesObject wins over values.
    const QJsonObject valuesObject = helm.value("valuesObject"_L1).toObject();
    for (auto it = valuesObject.begin(); it != valuesObject.end(); ++it)
        values.insert(it.key(), it.value());
    spec.helm.valuesObject = values;
    return true;
}

void ApplicationConverter::readKustomize(const QJsonObject& kustomize, const QString& path,
                                         RendererSpec& spec) {
    unsupportedKeys(kustomize, path, {u"namePrefix"_s, u"nameSuffix"_s, u"images"_s, u"commonLabels"_s});
    spec.kustomize.namePrefix = kustomize.value("namePrefix"_L1).toString();
    spec.kustomize.nameSuffix = kustomize.value("nameSuffix"_L1).toString();
    for (const QJsonValue& image : kustomize.value("images"_L1).toArray())
        spec.kustomize.images.append(image.toString());
    spec.kustomize.commonLabels = kustomize.value("commonLabels"_L1).toObject();
}

void ApplicationConverter::readDirectory(const QJsonObject& directory, const QString& path,
                                         RendererSpec& spec) {
    unsupportedKeys(directory, path, {u"recurse"_s, u"include"_s, u"exclude"_s, u"jsonnet"_s});
    if (directory.contains("jsonnet"_L1))
        warn(path + u".jsonnet is not supported: jsonnet files are not evaluated"_s);
    spec.recurse = directory.value("recurse"_L1).toBool();
    // Argo CD takes one glob, with {a,b} alternatives; the plain renderer understands the same.
    const QString include = directory.value("include"_L1).toString();
    if (!include.isEmpty())
        spec.include = {include};
    const QString exclude = directory.value("exclude"_L1).toString();
    if (!exclude.isEmpty())
        spec.exclude = {exclude};
}

bool ApplicationConverter::readSource(const QJsonObject& source, const QString& path, AppSpec& app) {
    unsupportedKeys(source, path,
                    {u"repoURL"_s, u"path"_s, u"targetRevision"_s, u"chart"_s, u"helm"_s, u"kustomize"_s,
                     u"directory"_s, u"plugin"_s, u"ref"_s});
    if (source.contains("chart"_L1)) {
        warn(u"%1.chart: charts from a Helm repository are not supported (only charts in Git); application "
             u"skipped"_s.arg(path));
        return false;
    }
    if (source.contains("plugin"_L1)) {
        warn(u"%1.plugin: config management plugins are not supported; application skipped. Add it by hand "
             u"with renderer type command"_s.arg(path));
        return false;
    }
    const QString url = source.value("repoURL"_L1).toString();
    if (url.isEmpty()) {
        warn(path + u" has no repoURL; application skipped"_s);
        return false;
    }
    app.repo = repositoryFor(url);
    app.path = source.value("path"_L1).toString();
    if (app.path.isEmpty())
        app.path = u"."_s;
    app.targetRevision = source.value("targetRevision"_L1).toString();
    if (app.targetRevision.isEmpty())
        app.targetRevision = u"HEAD"_s;
    if (source.contains("helm"_L1)) {
        app.renderer.type = RendererSpec::Type::Helm;
        if (!readHelm(source.value("helm"_L1).toObject(), path + u".helm"_s, app.path, app.renderer))
            return false;
    }
    if (source.contains("kustomize"_L1)) {
        app.renderer.type = RendererSpec::Type::Kustomize;
        readKustomize(source.value("kustomize"_L1).toObject(), path + u".kustomize"_s, app.renderer);
    }
    if (source.contains("directory"_L1)) {
        app.renderer.type = RendererSpec::Type::Plain;
        readDirectory(source.value("directory"_L1).toObject(), path + u".directory"_s, app.renderer);
    }
    return true;
}

bool ApplicationConverter::readDestination(const QJsonObject& destination, AppSpec& app) {
    unsupportedKeys(destination, u"spec.destination"_s, {u"server"_s, u"name"_s, u"namespace"_s});
    app.ns = destination.value("namespace"_L1).toString();
    const QString name = destination.value("name"_L1).toString();
    const QString server = normalisedServer(destination.value("server"_L1).toString());
    if (!name.isEmpty()) {
        for (const ClusterSpec& cluster : m_context.clusters) {
            if (cluster.name == name) {
                app.cluster = cluster.name;
                return true;
            }
        }
        for (auto it = m_context.serverToContext.begin(); it != m_context.serverToContext.end(); ++it) {
            if (it.value() == name) {
                app.cluster = clusterForContext(name);
                return true;
            }
        }
        warn(u"destination name '%1' is neither a workspace cluster nor a kubeconfig context; application "
             u"skipped. Add the cluster to the workspace and import again"_s.arg(name));
        return false;
    }
    if (!server.isEmpty()) {
        for (auto it = m_context.serverToContext.begin(); it != m_context.serverToContext.end(); ++it) {
            if (normalisedServer(it.key()) == server) {
                app.cluster = clusterForContext(it.value());
                return true;
            }
        }
        warn(u"destination server %1 matches no kubeconfig cluster; application skipped. Add a context for "
             u"that server to your kubeconfig and import again"_s.arg(server));
        return false;
    }
    warn(u"spec.destination names neither a server nor a cluster; application skipped"_s);
    return false;
}

void ApplicationConverter::readSyncPolicy(const QJsonObject& syncPolicy, AppSpec& app) {
    unsupportedKeys(syncPolicy, u"spec.syncPolicy"_s,
                    {u"automated"_s, u"syncOptions"_s, u"retry"_s, u"managedNamespaceMetadata"_s});
    if (syncPolicy.contains("automated"_L1)) {
        const QJsonObject automated = syncPolicy.value("automated"_L1).toObject();
        unsupportedKeys(automated, u"spec.syncPolicy.automated"_s,
                        {u"prune"_s, u"selfHeal"_s, u"allowEmpty"_s, u"enabled"_s});
        app.syncPolicy.automated = automated.value("enabled"_L1).toBool(true);
        app.syncPolicy.prune = automated.value("prune"_L1).toBool();
        app.syncPolicy.selfHeal = automated.value("selfHeal"_L1).toBool();
        app.syncPolicy.allowEmpty = automated.value("allowEmpty"_L1).toBool();
    }
    for (const QJsonValue& option : syncPolicy.value("syncOptions"_L1).toArray())
        app.syncOptions.append(option.toString());
    if (syncPolicy.contains("retry"_L1))
        warn(u"spec.syncPolicy.retry is not supported: failed syncs are retried on the next refresh"_s);
    if (syncPolicy.contains("managedNamespaceMetadata"_L1))
        warn(u"spec.syncPolicy.managedNamespaceMetadata is not supported and was ignored"_s);
}

void ApplicationConverter::readIgnoreDifferences(const QJsonArray& rules, AppSpec& app) {
    for (qsizetype i = 0; i < rules.size(); ++i) {
        const QJsonObject entry = rules.at(i).toObject();
        const QString path = u"spec.ignoreDifferences[%1]"_s.arg(i);
        unsupportedKeys(entry, path,
                        {u"group"_s, u"kind"_s, u"name"_s, u"namespace"_s, u"jsonPointers"_s,
                         u"jqPathExpressions"_s, u"managedFieldsManagers"_s});
        IgnoreRule rule;
        rule.group = entry.value("group"_L1).toString();
        rule.kind = entry.value("kind"_L1).toString();
        rule.name = entry.value("name"_L1).toString();
        rule.ns = entry.value("namespace"_L1).toString();
        for (const QJsonValue& pointer : entry.value("jsonPointers"_L1).toArray())
            rule.jsonPointers.append(pointer.toString());
        for (const QJsonValue& manager : entry.value("managedFieldsManagers"_L1).toArray())
            rule.managedFieldsManagers.append(manager.toString());
        if (entry.contains("jqPathExpressions"_L1)) {
            warn(u"%1.jqPathExpressions is not supported (use jsonPointers); those differences will show as "
                 u"drift"_s.arg(path));
        }
        if (!rule.jsonPointers.isEmpty() || !rule.managedFieldsManagers.isEmpty())
            app.ignoreDifferences.append(rule);
    }
}

void ApplicationConverter::convert(const QJsonObject& application, const QString& where) {
    m_where = where;
    const QJsonObject metadata = application.value("metadata"_L1).toObject();
    m_name = metadata.value("name"_L1).toString();
    if (m_name.isEmpty()) {
        m_result.warnings.append(where + u": an Application without metadata.name was skipped"_s);
        return;
    }
    if (!isValidApplicationName(m_name)) {
        // Kubernetes allows names (up to 253 characters) that a workspace does not: importing one
        // would write a workspace that no longer loads.
        warn(u"the name is not a valid application name (1 to 63 letters, digits, '.', '_' or '-', starting "
             u"and ending with a letter or digit); application skipped"_s);
        return;
    }
    for (const AppSpec& existing : std::as_const(m_result.applications)) {
        if (existing.name == m_name) {
            warn(u"defined again; this definition was skipped"_s);
            return;
        }
    }
    for (auto it = metadata.begin(); it != metadata.end(); ++it) {
        if (it.key() != "name"_L1 && it.key() != "namespace"_L1)
            note(u"metadata.%1 ignored"_s.arg(it.key()));
    }
    const QJsonObject spec = application.value("spec"_L1).toObject();
    unsupportedKeys(
        spec, u"spec"_s,
        {u"source"_s, u"sources"_s, u"destination"_s, u"project"_s, u"syncPolicy"_s, u"ignoreDifferences"_s});
    if (spec.contains("project"_L1)) {
        note(u"project '%1' ignored: Driftdeck has no projects, access follows your kubeconfig"_s.arg(
            spec.value("project"_L1).toString()));
    }

    AppSpec app;
    app.name = m_name;
    if (spec.contains("sources"_L1)) {
        // Multi-source: the first source with a path is rendered; the others (value-file refs, more
        // charts) are reported, because rendering only part of them would be a different app.
        const QJsonArray sources = spec.value("sources"_L1).toArray();
        qsizetype chosen = -1;
        for (qsizetype i = 0; i < sources.size(); ++i) {
            const QJsonObject source = sources.at(i).toObject();
            if (source.contains("path"_L1) && !source.contains("chart"_L1)) {
                chosen = i;
                break;
            }
        }
        if (chosen < 0) {
            warn(u"spec.sources (multi-source) has no source with a path in Git; application skipped"_s);
            return;
        }
        warn(u"spec.sources: multi-source applications are not supported; only sources[%1] was imported and "
             u"the other %2 source(s) were ignored"_s.arg(chosen)
                 .arg(sources.size() - 1));
        if (spec.contains("source"_L1))
            warn(u"spec.source is ignored because spec.sources is set, as Argo CD does"_s);
        if (!readSource(sources.at(chosen).toObject(), u"spec.sources[%1]"_s.arg(chosen), app))
            return;
    } else if (!readSource(spec.value("source"_L1).toObject(), u"spec.source"_s, app)) {
        return;
    }
    if (!readDestination(spec.value("destination"_L1).toObject(), app))
        return;
    readSyncPolicy(spec.value("syncPolicy"_L1).toObject(), app);
    readIgnoreDifferences(spec.value("ignoreDifferences"_L1).toArray(), app);
    m_result.applications.append(app);
}

// Where a document starts, and the file's lines to place items of a List more precisely.
struct Place {
    QString file;
    int line = 0;
    const LineFinder* lines = nullptr;
    QString where() const { return file + u':' + QString::number(line); }
};

void importDocument(const QJsonValue& value, const Place& place, bool inList, ApplicationConverter& converter,
                    ArgoImportResult& result) {
    const QJsonObject object = value.toObject();
    const QString kind = object.value("kind"_L1).toString();
    const QString apiVersion = object.value("apiVersion"_L1).toString();
    if (kind.endsWith("List"_L1) && object.value("items"_L1).isArray()) {
        Place itemPlace = place;
        for (const QJsonValue& item : object.value("items"_L1).toArray()) {
            importDocument(item, itemPlace, true, converter, result);
            // The next item's name is searched for after this one's, not from the list's start.
            const QString itemName =
                item.toObject().value("metadata"_L1).toObject().value("name"_L1).toString();
            if (place.lines && !itemName.isEmpty()) {
                const int line = place.lines->valueLine(u"name"_s, itemName, itemPlace.line);
                if (line > 0)
                    itemPlace.line = line + 1;
            }
        }
        return;
    }
    if (!apiVersion.startsWith("argoproj.io/"_L1))
        return; // other objects (the chart's own manifests, say) are not Applications
    const QString name = object.value("metadata"_L1).toObject().value("name"_L1).toString();
    Place at = place;
    if (inList && place.lines && !name.isEmpty()) {
        // Items of a List share the document's line; their name line tells them apart.
        const int line = place.lines->valueLine(u"name"_s, name, place.line);
        if (line > 0)
            at.line = line;
    }
    const QString where = at.where();
    if (kind == "Application"_L1) {
        converter.convert(object, where);
    } else if (kind == "ApplicationSet"_L1) {
        result.warnings.append(
            u"%1: ApplicationSet '%2' is not supported (its generators are not evaluated); "
            u"import the Applications it generates instead"_s.arg(where, name));
    }
}

} // namespace

ArgoImportResult importArgoApplicationsFromText(const QByteArray& text, const QString& fileName,
                                                const ArgoImportContext& context) {
    ArgoImportResult result;
    const Result<QList<yaml::Document>> documents = yaml::parseStream(text, fileName);
    if (!documents) {
        result.warnings.append(documents.error().message + u" (file skipped)"_s);
        return result;
    }
    ApplicationConverter converter(context, result);
    const LineFinder lines(text);
    for (const yaml::Document& document : *documents)
        importDocument(document.value, Place{fileName, document.line, &lines}, false, converter, result);
    return result;
}

Result<ArgoImportResult> importArgoApplications(const QString& directory, const ArgoImportContext& context) {
    const QDir root(directory);
    if (!root.exists()) {
        return Error::make(
            Error::Code::NotFound,
            u"cannot import Argo CD applications: directory %1 does not exist"_s.arg(directory));
    }
    QStringList files;
    QDirIterator it(directory, {u"*.yaml"_s, u"*.yml"_s, u"*.json"_s}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        files.append(root.relativeFilePath(it.next()));
    std::sort(files.begin(), files.end());

    ArgoImportResult result;
    ApplicationConverter converter(context, result);
    for (const QString& relative : std::as_const(files)) {
        QFile file(root.filePath(relative));
        if (file.size() > MaxFileBytes || !file.open(QIODevice::ReadOnly)) {
            result.warnings.append(relative + u": skipped (unreadable or larger than 10 MiB)"_s);
            continue;
        }
        const QByteArray text = file.readAll();
        const Result<QList<yaml::Document>> documents = yaml::parseStream(text, relative);
        if (!documents) {
            // Typically a Helm template of Applications: it is not YAML until helm renders it.
            result.warnings.append(documents.error().message + u" (file skipped)"_s);
            continue;
        }
        const LineFinder lines(text);
        for (const yaml::Document& document : *documents)
            importDocument(document.value, Place{relative, document.line, &lines}, false, converter, result);
    }
    qCDebug(lcWorkspace) << "imported" << result.applications.size() << "Argo CD applications from"
                         << directory;
    return result;
}

QStringList mergeImport(Workspace& workspace, const ArgoImportResult& imported) {
    QStringList warnings;
    for (const ClusterSpec& cluster : imported.newClusters) {
        if (!workspace.cluster(cluster.name))
            workspace.clusters.append(cluster);
    }
    for (const RepoSpec& repo : imported.newRepositories) {
        if (!workspace.repository(repo.name))
            workspace.repositories.append(repo);
    }
    for (const AppSpec& app : imported.applications) {
        if (workspace.application(app.name)) {
            warnings.append(
                u"application '%1' is already in the workspace; the imported one was left out"_s.arg(
                    app.name));
            continue;
        }
        workspace.applications.append(app);
    }
    return warnings;
}

} // namespace driftdeck::workspace
