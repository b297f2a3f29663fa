#pragma once

#include <QJsonObject>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <optional>

// What the workspace says about clusters, repositories and applications. Plain values: the workspace
// library reads and writes them, the manifest library renders with RendererSpec, the engine schedules.
namespace driftdeck {

// A cluster is a kubeconfig context under a workspace name; tags (e.g. "production") group clusters.
struct ClusterSpec {
    QString name;
    QString context;
    QStringList tags;

    bool operator==(const ClusterSpec&) const = default;
};

// Where a repository's credential comes from. The secret itself never lives in the workspace file.
struct CredentialsRef {
    enum class Type {
        None,     // public repository
        Token,    // HTTPS token read from an environment variable or a file
        SshAgent, // keys held by the running ssh-agent
        SshKey,   // private key file (passphrase from ssh-agent or a prompt)
        Helper,   // git's configured credential helper
    };
    Type type = Type::None;
    QString env;           // Token: environment variable holding the token
    QString file;          // Token: file holding the token; SshKey: private key file
    QString username;      // https user for tokens, ssh user; empty: the git layer's default
    QString passphraseEnv; // SshKey: environment variable holding the key's passphrase

    static QString typeName(Type type);
    static std::optional<Type> parseType(const QString& name);
    bool operator==(const CredentialsRef&) const = default;
};

struct RepoSpec {
    QString name;
    QString url;
    QString branch; // empty: the remote's default branch
    CredentialsRef credentials;

    bool operator==(const RepoSpec&) const = default;
};

struct SyncPolicy {
    bool automated = false;
    bool prune = false;
    bool selfHeal = false;
    bool allowEmpty = false;

    bool operator==(const SyncPolicy&) const = default;
};

// A difference to ignore: which objects (empty field = any) and which parts of them.
struct IgnoreRule {
    QString group;
    QString kind;
    QString name;
    QString ns;
    QStringList jsonPointers;
    QStringList managedFieldsManagers;

    bool operator==(const IgnoreRule&) const = default;
};

struct HelmSettings {
    QString releaseName; // empty: the application name
    QString ns;          // empty: the application namespace
    QStringList valueFiles;
    QStringList parameters;   // "key=value", passed as --set
    QJsonObject valuesObject; // inline values, applied after valueFiles

    bool operator==(const HelmSettings&) const = default;
};

// A credential file path as the workspace writes it: a leading "~/" is the user's home directory
// (as in a shell; "~user/" is not expanded). Expanded where the file is opened, so saving the
// workspace keeps the "~/" the user wrote.
QString expandHomePath(const QString& path);

// Checks shared by the workspace reader, the Argo CD import and the Helm renderer: each of them
// refuses what could turn a repository's text into an option of helm or a file outside the
// repository (cf. Argo CD CVE-2022-24348).
namespace helmcheck {
// Helm's rule for release names: a DNS-1123 subdomain of at most 53 characters. A name starting
// with '-' would otherwise reach helm as an option (`--post-renderer=./x.sh`).
bool isValidReleaseName(const QString& name);
// Empty when `file` may be used as a value file of the application at `appPath` (relative to the
// repository root), else why not: value files are relative paths that stay inside the repository,
// never absolute, never a URL, never through "..". Symbolic links are the renderer's to check.
QString valueFileProblem(const QString& file, const QString& appPath);
} // namespace helmcheck

// Applied to the kustomization of the (temporary) copy before building, as `kustomize edit` would.
struct KustomizeSettings {
    QString namePrefix;
    QString nameSuffix;
    QStringList images; // "name=newName:tag", "name:tag" or "name@digest"
    QJsonObject commonLabels;

    bool isEmpty() const {
        return namePrefix.isEmpty() && nameSuffix.isEmpty() && images.isEmpty() && commonLabels.isEmpty();
    }
    bool operator==(const KustomizeSettings&) const = default;
};

struct CommandSettings {
    QStringList argv; // program and arguments, run without a shell
    QStringList env;  // "NAME=value" additions to the environment

    bool operator==(const CommandSettings&) const = default;
};

struct RendererSpec {
    enum class Type {
        Auto,      // Chart.yaml -> helm, kustomization.yaml -> kustomize, else plain (as Argo CD does)
        Plain,     // a directory of YAML/JSON manifests
        Kustomize, // kustomize build / kubectl kustomize
        Helm,      // helm template
        Command,   // any program printing a YAML stream
    };
    Type type = Type::Auto;
    bool recurse = false;
    QStringList include; // globs on the path relative to the application directory
    QStringList exclude;
    HelmSettings helm;
    KustomizeSettings kustomize;
    CommandSettings command;
    int timeoutSeconds = 90;

    static QString typeName(Type type);
    static std::optional<Type> parseType(const QString& name);
    bool operator==(const RendererSpec&) const = default;
};

struct AppSpec {
    QString name;
    QString repo; // a RepoSpec name
    QString path; // directory inside the repository, "." for the root
    QString targetRevision;
    QString cluster; // a ClusterSpec name
    QString ns;      // destination namespace for objects that do not name one
    RendererSpec renderer;
    SyncPolicy syncPolicy;
    QStringList syncOptions;
    QList<IgnoreRule> ignoreDifferences;

    bool operator==(const AppSpec&) const = default;
};

} // namespace driftdeck

Q_DECLARE_METATYPE(driftdeck::AppSpec)
Q_DECLARE_METATYPE(driftdeck::ClusterSpec)
Q_DECLARE_METATYPE(driftdeck::RepoSpec)
