#include "workspace/linefinder.h"
#include "workspace/workspace.h"
#include "workspace/workspacelog.h"
#include "yaml/yamlcodec.h"

#include <QFile>
#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace driftdeck::workspace {

using namespace Qt::StringLiterals;

namespace {

// Field names that would hold a secret. Their values are never read, echoed or logged.
const QStringList SecretKeys{u"token"_s,         u"password"_s,    u"secret"_s,     u"privateKey"_s,
                             u"sshPrivateKey"_s, u"bearerToken"_s, u"passphrase"_s, u"value"_s};

// Reading state of one file: where we are (for file:line), and what went wrong so far.
class WorkspaceReader {
public:
    WorkspaceReader(const QByteArray& text, const QString& fileName)
        : m_lines(text)
        , m_fileName(fileName) {}

    Result<LoadedWorkspace> read(const QJsonValue& root);

private:
    // The part of the file an entry occupies: all line lookups for its keys stay inside it.
    struct Scope {
        QString what; // "application 'web'", shown in messages
        int from = 1;
        int to = 0;
    };

    QString at(const Scope& scope, const QString& key) const {
        int line = key.isEmpty() ? 0 : m_lines.keyLine(key, scope.from, scope.to);
        if (line == 0)
            line = scope.from;
        return m_fileName + u':' + QString::number(line);
    }
    void error(const Scope& scope, const QString& key, const QString& text) {
        m_errors.append(at(scope, key) + u": "_s + text);
    }
    void warn(const Scope& scope, const QString& key, const QString& text) {
        m_warnings.append(at(scope, key) + u": "_s + text);
    }
    void checkKeys(const QJsonObject& object, const QStringList& known, const Scope& scope) {
        for (auto it = object.begin(); it != object.end(); ++it) {
            if (!known.contains(it.key()))
                warn(scope, it.key(), u"unknown key '%1' in %2 is ignored"_s.arg(it.key(), scope.what));
        }
    }

    QString string(const QJsonObject& object, const QString& key, const Scope& scope, bool required = false) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull()) {
            if (required)
                error(scope, {}, u"%1 has no '%2', which is required"_s.arg(scope.what, key));
            return {};
        }
        if (value.isDouble())
            return QString::number(value.toDouble()); // "targetRevision: 1.2" is a tag, not a number
        if (!value.isString()) {
            error(scope, key, u"'%1' of %2 must be a string"_s.arg(key, scope.what));
            return {};
        }
        if (required && value.toString().isEmpty())
            error(scope, key, u"'%1' of %2 is empty"_s.arg(key, scope.what));
        return value.toString();
    }
    bool boolean(const QJsonObject& object, const QString& key, const Scope& scope) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return false;
        if (!value.isBool())
            error(scope, key, u"'%1' of %2 must be true or false"_s.arg(key, scope.what));
        return value.toBool();
    }
    QStringList strings(const QJsonObject& object, const QString& key, const Scope& scope) {
        const QJsonValue value = object.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (value.isString())
            return {value.toString()}; // a single glob or option is common shorthand
        if (!value.isArray()) {
            error(scope, key, u"'%1' of %2 must be a list of strings"_s.arg(key, scope.what));
            return {};
        }
        QStringList out;
        for (const QJsonValue& item : value.toArray()) {
            if (!item.isString()) {
                error(scope, key, u"'%1' of %2 must be a list of strings"_s.arg(key, scope.what));
                return {};
            }
            out.append(item.toString());
        }
        return out;
    }
    QJsonObject object(const QJsonObject& parent, const QString& key, const Scope& scope) {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isObject())
            error(scope, key, u"'%1' of %2 must be a mapping"_s.arg(key, scope.what));
        return value.toObject();
    }
    QJsonArray list(const QJsonObject& parent, const QString& key) {
        const QJsonValue value = parent.value(key);
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isArray())
            error(Scope{u"the workspace"_s}, key, u"'%1' must be a list"_s.arg(key));
        return value.toArray();
    }
    Scope entryScope(const QString& listKey, const QString& singular, const QString& name, int index) const {
        Scope scope;
        scope.what =
            name.isEmpty() ? u"%1 #%2"_s.arg(singular).arg(index + 1) : u"%1 '%2'"_s.arg(singular, name);
        const int line = name.isEmpty() ? 0 : m_lines.entryLine(listKey, name);
        scope.from = line > 0 ? line : qMax(1, m_lines.keyLine(listKey));
        scope.to = line > 0 ? m_lines.entryEnd(line) : 0;
        return scope;
    }

    ClusterSpec readCluster(const QJsonValue& value, int index);
    RepoSpec readRepository(const QJsonValue& value, int index);
    CredentialsRef readCredentials(const QJsonObject& repo, const Scope& scope);
    AppSpec readApplication(const QJsonValue& value, int index);
    RendererSpec readRenderer(const QJsonObject& app, const Scope& scope);
    QList<IgnoreRule> readIgnoreRules(const QJsonObject& app, const Scope& scope);
    void checkReferences(const Workspace& workspace);

    LineFinder m_lines;
    QString m_fileName;
    QStringList m_errors;
    QStringList m_warnings;
};

ClusterSpec WorkspaceReader::readCluster(const QJsonValue& value, int index) {
    const QJsonObject object = value.toObject();
    const Scope scope = entryScope(u"clusters"_s, u"cluster"_s, object.value("name"_L1).toString(), index);
    if (!value.isObject()) {
        error(scope, {}, scope.what + u" must be a mapping"_s);
        return {};
    }
    checkKeys(object, {u"name"_s, u"context"_s, u"tags"_s}, scope);
    ClusterSpec cluster;
    cluster.name = string(object, u"name"_s, scope, true);
    cluster.context = string(object, u"context"_s, scope);
    if (cluster.context.isEmpty())
        cluster.context = cluster.name; // a cluster named after its context needs no repetition
    cluster.tags = strings(object, u"tags"_s, scope);
    return cluster;
}

CredentialsRef WorkspaceReader::readCredentials(const QJsonObject& repo, const Scope& scope) {
    const QString howTo =
        u"secrets never go in the workspace file: put the token in an environment variable and "
        u"write credentials: {type: token, env: VARIABLE}, or in a file only you can read and "
        u"write credentials: {type: token, file: PATH}"_s;
    for (const QString& key : SecretKeys) {
        if (key != "value"_L1 && repo.contains(key))
            error(scope, key, u"%1 holds a literal '%2'; %3"_s.arg(scope.what, key, howTo));
    }
    const QJsonValue value = repo.value("credentials"_L1);
    CredentialsRef credentials;
    if (value.isUndefined() || value.isNull())
        return credentials;
    if (!value.isObject()) {
        error(scope, u"credentials"_s,
              u"'credentials' of %1 must be a mapping such as {type: token, env: VARIABLE}; %2"_s.arg(
                  scope.what, howTo));
        return credentials;
    }
    const QJsonObject object = value.toObject();
    for (const QString& key : SecretKeys) {
        if (object.contains(key))
            error(scope, key, u"credentials of %1 hold a literal '%2'; %3"_s.arg(scope.what, key, howTo));
    }
    checkKeys(object,
              SecretKeys + QStringList{u"type"_s, u"env"_s, u"file"_s, u"username"_s, u"passphraseEnv"_s},
              scope);
    const QString typeName = string(object, u"type"_s, scope, true);
    const std::optional<CredentialsRef::Type> type = CredentialsRef::parseType(typeName);
    if (!typeName.isEmpty() && !type) {
        error(scope, u"type"_s,
              u"credentials type '%1' of %2 is unknown; use token, ssh-agent, ssh-key, helper or none"_s.arg(
                  typeName, scope.what));
    }
    credentials.type = type.value_or(CredentialsRef::Type::None);
    credentials.env = string(object, u"env"_s, scope);
    credentials.file = string(object, u"file"_s, scope);
    credentials.username = string(object, u"username"_s, scope);
    credentials.passphraseEnv = string(object, u"passphraseEnv"_s, scope);
    switch (credentials.type) {
    case CredentialsRef::Type::Token:
        if (credentials.env.isEmpty() == credentials.file.isEmpty())
            error(scope, u"credentials"_s,
                  u"token credentials of %1 need exactly one of 'env' or 'file'"_s.arg(scope.what));
        break;
    case CredentialsRef::Type::SshKey:
        if (credentials.file.isEmpty())
            error(scope, u"credentials"_s, u"ssh-key credentials of %1 need 'file'"_s.arg(scope.what));
        if (!credentials.env.isEmpty())
            warn(scope, u"env"_s, u"'env' is not used by ssh-key credentials of %1"_s.arg(scope.what));
        break;
    case CredentialsRef::Type::None:
    case CredentialsRef::Type::SshAgent:
    case CredentialsRef::Type::Helper:
        if (!credentials.env.isEmpty() || !credentials.file.isEmpty())
            warn(scope, u"credentials"_s,
                 u"'env' and 'file' are not used by %1 credentials of %2"_s.arg(typeName, scope.what));
        break;
    }
    return credentials;
}

RepoSpec WorkspaceReader::readRepository(const QJsonValue& value, int index) {
    const QJsonObject object = value.toObject();
    const Scope scope =
        entryScope(u"repositories"_s, u"repository"_s, object.value("name"_L1).toString(), index);
    if (!value.isObject()) {
        error(scope, {}, scope.what + u" must be a mapping"_s);
        return {};
    }
    checkKeys(object, SecretKeys + QStringList{u"name"_s, u"url"_s, u"branch"_s, u"credentials"_s}, scope);
    RepoSpec repo;
    repo.name = string(object, u"name"_s, scope, true);
    repo.url = string(object, u"url"_s, scope, true);
    repo.branch = string(object, u"branch"_s, scope);
    repo.credentials = readCredentials(object, scope);
    if (!QUrl(repo.url).password().isEmpty()) {
        error(scope, u"url"_s,
              u"the url of %1 embeds a password or token; remove it from the url and use 'credentials'"_s.arg(
                  scope.what));
        repo.url.clear(); // never kept, never printed
    }
    return repo;
}

RendererSpec WorkspaceReader::readRenderer(const QJsonObject& app, const Scope& appScope) {
    RendererSpec spec;
    if (!app.contains("renderer"_L1))
        return spec;
    const Scope scope{u"the renderer of "_s + appScope.what, appScope.from, appScope.to};
    const QJsonObject renderer = object(app, u"renderer"_s, appScope);
    checkKeys(renderer,
              {u"type"_s, u"recurse"_s, u"include"_s, u"exclude"_s, u"helm"_s, u"kustomize"_s, u"command"_s,
               u"timeoutSeconds"_s},
              scope);
    const QString typeName = string(renderer, u"type"_s, scope);
    if (!typeName.isEmpty()) {
        const std::optional<RendererSpec::Type> type = RendererSpec::parseType(typeName);
        if (!type) {
            error(scope, u"type"_s,
                  u"renderer type '%1' of %2 is unknown; use auto, plain, kustomize, helm or command"_s.arg(
                      typeName, appScope.what));
        }
        spec.type = type.value_or(RendererSpec::Type::Auto);
    }
    spec.recurse = boolean(renderer, u"recurse"_s, scope);
    spec.include = strings(renderer, u"include"_s, scope);
    spec.exclude = strings(renderer, u"exclude"_s, scope);
    if (renderer.contains("timeoutSeconds"_L1)) {
        const QJsonValue timeout = renderer.value("timeoutSeconds"_L1);
        if (!timeout.isDouble() || timeout.toDouble() < 1 || timeout.toDouble() > 3600 ||
            timeout.toDouble() != double(timeout.toInt())) {
            error(scope, u"timeoutSeconds"_s,
                  u"timeoutSeconds of %1 must be a whole number of seconds from 1 to 3600"_s.arg(
                      appScope.what));
        } else {
            spec.timeoutSeconds = timeout.toInt();
        }
    }

    const QJsonObject helm = object(renderer, u"helm"_s, scope);
    const Scope helmScope{u"helm settings of "_s + appScope.what, scope.from, scope.to};
    checkKeys(helm, {u"releaseName"_s, u"namespace"_s, u"valueFiles"_s, u"parameters"_s, u"valuesObject"_s},
              helmScope);
    spec.helm.releaseName = string(helm, u"releaseName"_s, helmScope);
    if (!spec.helm.releaseName.isEmpty() && !helmcheck::isValidReleaseName(spec.helm.releaseName)) {
        error(helmScope, u"releaseName"_s,
              u"the release name of %1 is not a valid Helm release name: lower-case letters, digits, '-' and "
              u"'.', at most 53, starting and ending with a letter or digit"_s.arg(appScope.what));
    }
    spec.helm.ns = string(helm, u"namespace"_s, helmScope);
    spec.helm.valueFiles = strings(helm, u"valueFiles"_s, helmScope);
    for (const QString& file : std::as_const(spec.helm.valueFiles)) {
        const QString problem = helmcheck::valueFileProblem(file, app.value("path"_L1).toString());
        if (!problem.isEmpty())
            error(helmScope, u"valueFiles"_s, u"%1 of %2"_s.arg(problem, appScope.what));
    }
    spec.helm.parameters = strings(helm, u"parameters"_s, helmScope);
    for (const QString& parameter : std::as_const(spec.helm.parameters)) {
        if (parameter.indexOf(u'=') <= 0)
            error(helmScope, u"parameters"_s,
                  u"helm parameter '%1' of %2 must be key=value"_s.arg(parameter, appScope.what));
    }
    spec.helm.valuesObject = object(helm, u"valuesObject"_s, helmScope);

    const QJsonObject kustomize = object(renderer, u"kustomize"_s, scope);
    const Scope kustomizeScope{u"kustomize settings of "_s + appScope.what, scope.from, scope.to};
    checkKeys(kustomize, {u"namePrefix"_s, u"nameSuffix"_s, u"images"_s, u"commonLabels"_s}, kustomizeScope);
    spec.kustomize.namePrefix = string(kustomize, u"namePrefix"_s, kustomizeScope);
    spec.kustomize.nameSuffix = string(kustomize, u"nameSuffix"_s, kustomizeScope);
    spec.kustomize.images = strings(kustomize, u"images"_s, kustomizeScope);
    spec.kustomize.commonLabels = object(kustomize, u"commonLabels"_s, kustomizeScope);

    const QJsonObject command = object(renderer, u"command"_s, scope);
    const Scope commandScope{u"command settings of "_s + appScope.what, scope.from, scope.to};
    checkKeys(command, {u"argv"_s, u"env"_s}, commandScope);
    spec.command.argv = strings(command, u"argv"_s, commandScope);
    const QJsonObject env = object(command, u"env"_s, commandScope);
    for (auto it = env.begin(); it != env.end(); ++it) {
        if (!it.value().isString())
            error(commandScope, it.key(),
                  u"environment value '%1' of %2 must be a string"_s.arg(it.key(), appScope.what));
        spec.command.env.append(it.key() + u'=' + it.value().toString());
    }
    if (spec.type == RendererSpec::Type::Command && spec.command.argv.isEmpty())
        error(scope, u"type"_s, u"%1 uses the command renderer but has no command.argv"_s.arg(appScope.what));
    return spec;
}

QList<IgnoreRule> WorkspaceReader::readIgnoreRules(const QJsonObject& app, const Scope& appScope) {
    QList<IgnoreRule> rules;
    const QJsonValue value = app.value("ignoreDifferences"_L1);
    if (value.isUndefined() || value.isNull())
        return rules;
    if (!value.isArray()) {
        error(appScope, u"ignoreDifferences"_s,
              u"ignoreDifferences of %1 must be a list"_s.arg(appScope.what));
        return rules;
    }
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const Scope scope{u"ignoreDifferences entry %1 of %2"_s.arg(i + 1).arg(appScope.what), appScope.from,
                          appScope.to};
        const QJsonObject object = array.at(i).toObject();
        checkKeys(
            object,
            {u"group"_s, u"kind"_s, u"name"_s, u"namespace"_s, u"jsonPointers"_s, u"managedFieldsManagers"_s},
            scope);
        IgnoreRule rule;
        rule.group = string(object, u"group"_s, scope);
        rule.kind = string(object, u"kind"_s, scope, true);
        rule.name = string(object, u"name"_s, scope);
        rule.ns = string(object, u"namespace"_s, scope);
        rule.jsonPointers = strings(object, u"jsonPointers"_s, scope);
        rule.managedFieldsManagers = strings(object, u"managedFieldsManagers"_s, scope);
        for (const QString& pointer : std::as_const(rule.jsonPointers)) {
            if (!pointer.startsWith(u'/'))
                error(scope, u"jsonPointers"_s,
                      u"JSON pointer '%1' in %2 must start with '/'"_s.arg(pointer, scope.what));
        }
        if (rule.jsonPointers.isEmpty() && rule.managedFieldsManagers.isEmpty())
            warn(scope, u"ignoreDifferences"_s,
                 scope.what + u" has neither jsonPointers nor managedFieldsManagers"
                              u" and ignores nothing"_s);
        rules.append(rule);
    }
    return rules;
}

AppSpec WorkspaceReader::readApplication(const QJsonValue& value, int index) {
    const QJsonObject object = value.toObject();
    const Scope scope =
        entryScope(u"applications"_s, u"application"_s, object.value("name"_L1).toString(), index);
    if (!value.isObject()) {
        error(scope, {}, scope.what + u" must be a mapping"_s);
        return {};
    }
    checkKeys(object,
              {u"name"_s, u"repo"_s, u"path"_s, u"targetRevision"_s, u"cluster"_s, u"namespace"_s,
               u"renderer"_s, u"syncPolicy"_s, u"syncOptions"_s, u"ignoreDifferences"_s},
              scope);
    AppSpec app;
    app.name = string(object, u"name"_s, scope, true);
    if (!app.name.isEmpty() && !isValidApplicationName(app.name)) {
        error(scope, u"name"_s,
              u"%1: names are 1 to 63 letters, digits, '.', '_' or '-', starting and ending with a letter "
              u"or digit"_s.arg(scope.what));
    }
    app.repo = string(object, u"repo"_s, scope, true);
    app.path = string(object, u"path"_s, scope);
    if (!object.contains("path"_L1))
        error(scope, {}, u"%1 has no 'path'; use \".\" for the repository root"_s.arg(scope.what));
    else if (app.path.isEmpty())
        app.path = u"."_s; // an empty path is the root, spelled as saving writes it
    app.targetRevision = string(object, u"targetRevision"_s, scope);
    app.cluster = string(object, u"cluster"_s, scope, true);
    app.ns = string(object, u"namespace"_s, scope);
    app.renderer = readRenderer(object, scope);
    const QJsonObject sync = this->object(object, u"syncPolicy"_s, scope);
    const Scope syncScope{u"syncPolicy of "_s + scope.what, scope.from, scope.to};
    checkKeys(sync, {u"automated"_s, u"prune"_s, u"selfHeal"_s, u"allowEmpty"_s}, syncScope);
    app.syncPolicy.automated = boolean(sync, u"automated"_s, syncScope);
    app.syncPolicy.prune = boolean(sync, u"prune"_s, syncScope);
    app.syncPolicy.selfHeal = boolean(sync, u"selfHeal"_s, syncScope);
    app.syncPolicy.allowEmpty = boolean(sync, u"allowEmpty"_s, syncScope);
    app.syncOptions = strings(object, u"syncOptions"_s, scope);
    app.ignoreDifferences = readIgnoreRules(object, scope);
    return app;
}

void WorkspaceReader::checkReferences(const Workspace& workspace) {
    auto duplicates = [this](const QStringList& names, const QString& listKey, const QString& singular) {
        QSet<QString> seen;
        for (qsizetype i = 0; i < names.size(); ++i) {
            if (names.at(i).isEmpty())
                continue;
            if (seen.contains(names.at(i))) {
                const Scope scope = entryScope(listKey, singular, names.at(i), int(i));
                error(scope, {},
                      u"%1 '%2' is defined twice; names must be unique"_s.arg(singular, names.at(i)));
            }
            seen.insert(names.at(i));
        }
    };
    QStringList clusterNames;
    for (const ClusterSpec& cluster : workspace.clusters)
        clusterNames.append(cluster.name);
    QStringList repoNames;
    for (const RepoSpec& repo : workspace.repositories)
        repoNames.append(repo.name);
    QStringList appNames;
    for (const AppSpec& app : workspace.applications)
        appNames.append(app.name);
    duplicates(clusterNames, u"clusters"_s, u"cluster"_s);
    duplicates(repoNames, u"repositories"_s, u"repository"_s);
    duplicates(appNames, u"applications"_s, u"application"_s);

    const QString none = u"(none)"_s;
    for (qsizetype i = 0; i < workspace.applications.size(); ++i) {
        const AppSpec& app = workspace.applications.at(i);
        const Scope scope = entryScope(u"applications"_s, u"application"_s, app.name, int(i));
        if (!app.cluster.isEmpty() && !clusterNames.contains(app.cluster)) {
            error(scope, u"cluster"_s,
                  u"%1 names cluster '%2', which the workspace does not define (clusters: %3); add it under "
                  u"'clusters' or fix the name"_s.arg(
                      scope.what, app.cluster, clusterNames.isEmpty() ? none : clusterNames.join(u", "_s)));
        }
        if (!app.repo.isEmpty() && !repoNames.contains(app.repo)) {
            error(scope, u"repo"_s,
                  u"%1 names repository '%2', which the workspace does not define (repositories: %3); add it "
                  u"under 'repositories' or fix the name"_s.arg(
                      scope.what, app.repo, repoNames.isEmpty() ? none : repoNames.join(u", "_s)));
        }
    }
}

Result<LoadedWorkspace> WorkspaceReader::read(const QJsonValue& rootValue) {
    const Scope top{u"the workspace"_s, 1, 0};
    if (!rootValue.isObject()) {
        return Error::make(
            Error::Code::Invalid,
            u"%1:1: a workspace file is a mapping starting with apiVersion: %2 and kind: %3"_s.arg(
                m_fileName, WorkspaceApiVersion, WorkspaceKind));
    }
    const QJsonObject root = rootValue.toObject();
    checkKeys(root, {u"apiVersion"_s, u"kind"_s, u"clusters"_s, u"repositories"_s, u"applications"_s}, top);
    const QString apiVersion = root.value("apiVersion"_L1).toString();
    if (apiVersion != WorkspaceApiVersion) {
        error(
            top, u"apiVersion"_s,
            u"apiVersion is '%1'; this version of Driftdeck reads %2"_s.arg(apiVersion, WorkspaceApiVersion));
    }
    if (root.value("kind"_L1).toString() != WorkspaceKind)
        error(top, u"kind"_s, u"kind must be %1"_s.arg(WorkspaceKind));

    LoadedWorkspace loaded;
    const QJsonArray clusters = list(root, u"clusters"_s);
    for (qsizetype i = 0; i < clusters.size(); ++i)
        loaded.workspace.clusters.append(readCluster(clusters.at(i), int(i)));
    const QJsonArray repositories = list(root, u"repositories"_s);
    for (qsizetype i = 0; i < repositories.size(); ++i)
        loaded.workspace.repositories.append(readRepository(repositories.at(i), int(i)));
    const QJsonArray applications = list(root, u"applications"_s);
    for (qsizetype i = 0; i < applications.size(); ++i)
        loaded.workspace.applications.append(readApplication(applications.at(i), int(i)));
    checkReferences(loaded.workspace);

    if (!m_errors.isEmpty()) {
        QString message = m_errors.first();
        if (m_errors.size() > 1)
            message += u" (and %1 more problems, listed in the details)"_s.arg(m_errors.size() - 1);
        return Error::make(Error::Code::Invalid, message, m_errors.join(u'\n'));
    }
    loaded.warnings = m_warnings;
    for (const QString& warning : std::as_const(m_warnings))
        qCInfo(lcWorkspace).noquote() << warning;
    return loaded;
}

} // namespace

bool isValidApplicationName(const QString& name) {
    static const QRegularExpression validName(u"^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$"_s);
    return validName.match(name).hasMatch();
}

Result<LoadedWorkspace> parseWorkspace(const QByteArray& text, const QString& fileName) {
    Result<QJsonValue> root = yaml::parseDocument(text, fileName);
    if (!root)
        return root.error();
    WorkspaceReader reader(text, fileName);
    return reader.read(*root);
}

Result<LoadedWorkspace> loadWorkspace(const QString& path) {
    QFile file(path);
    if (!file.exists()) {
        return Error::make(Error::Code::NotFound,
                           u"workspace file %1 does not exist; create it (see docs/workspace.md) or pass "
                           u"--workspace PATH"_s.arg(path));
    }
    if (file.size() > 16 * 1024 * 1024)
        return Error::make(Error::Code::TooLarge, u"workspace file %1 is larger than 16 MiB"_s.arg(path));
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(Error::Code::NotFound,
                           u"cannot read workspace file %1: %2"_s.arg(path, file.errorString()));
    return parseWorkspace(file.readAll(), path);
}

} // namespace driftdeck::workspace
