#include "workspace/workspace.h"
#include "yaml/yamlcodec.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSaveFile>
#include <QStandardPaths>

namespace driftdeck::workspace {

using namespace Qt::StringLiterals;

namespace {

void putString(QJsonObject& object, const QString& key, const QString& value) {
    if (!value.isEmpty())
        object.insert(key, value);
}

void putStrings(QJsonObject& object, const QString& key, const QStringList& values) {
    if (!values.isEmpty())
        object.insert(key, QJsonArray::fromStringList(values));
}

void putBool(QJsonObject& object, const QString& key, bool value) {
    if (value)
        object.insert(key, true);
}

void putObject(QJsonObject& object, const QString& key, const QJsonObject& value) {
    if (!value.isEmpty())
        object.insert(key, value);
}

QJsonObject rendererToJson(const RendererSpec& spec) {
    QJsonObject renderer;
    if (spec.type != RendererSpec::Type::Auto)
        renderer.insert("type"_L1, RendererSpec::typeName(spec.type));
    putBool(renderer, u"recurse"_s, spec.recurse);
    putStrings(renderer, u"include"_s, spec.include);
    putStrings(renderer, u"exclude"_s, spec.exclude);
    if (spec.timeoutSeconds != RendererSpec().timeoutSeconds)
        renderer.insert("timeoutSeconds"_L1, spec.timeoutSeconds);

    QJsonObject helm;
    putString(helm, u"releaseName"_s, spec.helm.releaseName);
    putString(helm, u"namespace"_s, spec.helm.ns);
    putStrings(helm, u"valueFiles"_s, spec.helm.valueFiles);
    putStrings(helm, u"parameters"_s, spec.helm.parameters);
    putObject(helm, u"valuesObject"_s, spec.helm.valuesObject);
    putObject(renderer, u"helm"_s, helm);

    QJsonObject kustomize;
    putString(kustomize, u"namePrefix"_s, spec.kustomize.namePrefix);
    putString(kustomize, u"nameSuffix"_s, spec.kustomize.nameSuffix);
    putStrings(kustomize, u"images"_s, spec.kustomize.images);
    putObject(kustomize, u"commonLabels"_s, spec.kustomize.commonLabels);
    putObject(renderer, u"kustomize"_s, kustomize);

    QJsonObject command;
    putStrings(command, u"argv"_s, spec.command.argv);
    QJsonObject env;
    for (const QString& entry : spec.command.env) {
        const qsizetype equals = entry.indexOf(u'=');
        if (equals > 0)
            env.insert(entry.left(equals), entry.mid(equals + 1));
    }
    putObject(command, u"env"_s, env);
    putObject(renderer, u"command"_s, command);
    return renderer;
}

QJsonObject applicationToJson(const AppSpec& app) {
    QJsonObject object;
    object.insert("name"_L1, app.name);
    object.insert("repo"_L1, app.repo);
    object.insert("path"_L1, app.path.isEmpty() ? u"."_s : app.path);
    putString(object, u"targetRevision"_s, app.targetRevision);
    object.insert("cluster"_L1, app.cluster);
    putString(object, u"namespace"_s, app.ns);
    putObject(object, u"renderer"_s, rendererToJson(app.renderer));
    QJsonObject sync;
    putBool(sync, u"automated"_s, app.syncPolicy.automated);
    putBool(sync, u"prune"_s, app.syncPolicy.prune);
    putBool(sync, u"selfHeal"_s, app.syncPolicy.selfHeal);
    putBool(sync, u"allowEmpty"_s, app.syncPolicy.allowEmpty);
    putObject(object, u"syncPolicy"_s, sync);
    putStrings(object, u"syncOptions"_s, app.syncOptions);
    QJsonArray rules;
    for (const IgnoreRule& rule : app.ignoreDifferences) {
        QJsonObject entry;
        putString(entry, u"group"_s, rule.group);
        putString(entry, u"kind"_s, rule.kind);
        putString(entry, u"name"_s, rule.name);
        putString(entry, u"namespace"_s, rule.ns);
        putStrings(entry, u"jsonPointers"_s, rule.jsonPointers);
        putStrings(entry, u"managedFieldsManagers"_s, rule.managedFieldsManagers);
        rules.append(entry);
    }
    if (!rules.isEmpty())
        object.insert("ignoreDifferences"_L1, rules);
    return object;
}

QJsonObject workspaceToJson(const Workspace& workspace) {
    QJsonObject root;
    root.insert("apiVersion"_L1, WorkspaceApiVersion);
    root.insert("kind"_L1, WorkspaceKind);
    QJsonArray clusters;
    for (const ClusterSpec& cluster : workspace.clusters) {
        QJsonObject object{{u"name"_s, cluster.name}};
        putString(object, u"context"_s, cluster.context);
        putStrings(object, u"tags"_s, cluster.tags);
        clusters.append(object);
    }
    root.insert("clusters"_L1, clusters);
    QJsonArray repositories;
    for (const RepoSpec& repo : workspace.repositories) {
        QJsonObject object{{u"name"_s, repo.name}, {u"url"_s, repo.url}};
        putString(object, u"branch"_s, repo.branch);
        if (repo.credentials.type != CredentialsRef::Type::None) {
            QJsonObject credentials{{u"type"_s, CredentialsRef::typeName(repo.credentials.type)}};
            putString(credentials, u"env"_s, repo.credentials.env);
            putString(credentials, u"file"_s, repo.credentials.file);
            putString(credentials, u"username"_s, repo.credentials.username);
            putString(credentials, u"passphraseEnv"_s, repo.credentials.passphraseEnv);
            object.insert("credentials"_L1, credentials);
        }
        repositories.append(object);
    }
    root.insert("repositories"_L1, repositories);
    QJsonArray applications;
    for (const AppSpec& app : workspace.applications)
        applications.append(applicationToJson(app));
    root.insert("applications"_L1, applications);
    return root;
}

} // namespace

const ClusterSpec* Workspace::cluster(const QString& name) const {
    for (const ClusterSpec& spec : clusters) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const RepoSpec* Workspace::repository(const QString& name) const {
    for (const RepoSpec& spec : repositories) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

const AppSpec* Workspace::application(const QString& name) const {
    for (const AppSpec& spec : applications) {
        if (spec.name == name)
            return &spec;
    }
    return nullptr;
}

QByteArray workspaceToYaml(const Workspace& workspace) {
    return "# Driftdeck workspace. Reference: docs/workspace.md\n" + yaml::toYaml(workspaceToJson(workspace));
}

Status saveWorkspace(const Workspace& workspace, const QString& path) {
    const QFileInfo info(path);
    if (!QDir().mkpath(info.absolutePath()))
        return Error::make(Error::Code::NotFound, u"cannot create the directory of %1"_s.arg(path));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return Error::make(Error::Code::Forbidden,
                           u"cannot write workspace file %1: %2"_s.arg(path, file.errorString()));
    const QByteArray text = workspaceToYaml(workspace);
    if (file.write(text) != text.size() || !file.commit())
        return Error::make(Error::Code::Unavailable,
                           u"cannot save workspace file %1: %2"_s.arg(path, file.errorString()));
    return success();
}

QString defaultWorkspacePath() {
    QString base = qEnvironmentVariable("XDG_CONFIG_HOME");
    if (base.isEmpty() || !QDir::isAbsolutePath(base))
        base = QDir::homePath() + u"/.config"_s;
    return base + u"/driftdeck/workspace.yaml"_s;
}

QString resolveWorkspacePath(const QString& option) {
    return option.isEmpty() ? defaultWorkspacePath() : option;
}

} // namespace driftdeck::workspace
