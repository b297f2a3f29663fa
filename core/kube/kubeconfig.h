#pragma once

#include "model/error.h"
#include "model/secretstring.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QPair>
#include <QString>
#include <QStringList>

#include <optional>

// Kubeconfig files as kubectl reads them: $KUBECONFIG (several files, ':'-separated) merged by
// kubectl's rules, or ~/.kube/config. Relative file references are resolved against the directory of
// the file that names them, so an entry behaves the same whichever file list it was merged from.
namespace driftdeck::kube {

struct KubeCluster {
    QString server;
    QString certificateAuthority;        // absolute path, or empty
    QByteArray certificateAuthorityData; // decoded PEM, or empty
    bool insecureSkipTlsVerify = false;
    QString tlsServerName;
    QString proxyUrl;
    bool disableCompression = false;
    QString origin;  // the file that defined this entry
    QJsonObject raw; // as written, with relative paths resolved (kubectl's view of the entry)
};

struct ExecConfig {
    QString apiVersion;
    QString command; // absolute when the kubeconfig named it with a '/', else looked up on PATH
    QStringList args;
    QList<QPair<QString, QString>> env;
    QString installHint;
    bool provideClusterInfo = false;
    QString interactiveMode; // Never, IfAvailable, Always; empty means IfAvailable
};

struct KubeUser {
    QString clientCertificate; // absolute paths, or empty
    QString clientKey;
    QByteArray clientCertificateData; // decoded PEM
    SecretString clientKeyData;       // decoded PEM
    SecretString token;
    QString tokenFile;
    QString username;
    SecretString password;
    std::optional<ExecConfig> exec;
    QString authProvider; // name of a legacy auth-provider section, which Driftdeck does not run
    QString origin;
    QJsonObject raw; // holds the credentials as written: never print it (toJson() masks them)
};

struct KubeContext {
    QString cluster;
    QString user;
    QString ns;
    QString origin;
    QJsonObject raw;
};

struct Kubeconfig {
    QStringList files; // the files that were read, in merge order
    QMap<QString, KubeCluster> clusters;
    QMap<QString, KubeUser> users;
    QMap<QString, KubeContext> contexts;
    QString currentContext;
    QJsonObject preferences;

    // The merged configuration in the shape of `kubectl config view -o json`: tokens and passwords
    // read "REDACTED", certificate and key data "DATA+OMITTED", as kubectl prints them without --raw.
    QJsonObject toJson() const;
};

// $KUBECONFIG split on ':' (empty entries and repeats dropped), or ~/.kube/config when unset.
QStringList defaultKubeconfigPaths();

// Reads and merges `paths` in order: the first file that defines a cluster, user or context name
// wins (entries are never mixed field by field), the first non-empty current-context wins, and
// preferences fields are taken from the first file that sets them. Missing files are skipped, as
// kubectl does for $KUBECONFIG; a file that cannot be parsed is an Error naming the file and line.
Result<Kubeconfig> loadKubeconfig(const QStringList& paths);
Result<Kubeconfig> loadDefaultKubeconfig();

// Parses one file's content; `fileName` is used for messages and to resolve relative paths.
Result<Kubeconfig> parseKubeconfig(const QByteArray& content, const QString& fileName);

} // namespace driftdeck::kube
