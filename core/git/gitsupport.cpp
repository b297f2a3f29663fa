#include "git/git_p.h"
#include "model/redact.h"

#include <QRegularExpression>

Q_LOGGING_CATEGORY(lcGit, "driftdeck.git")

namespace driftdeck::git::detail {

void ensureLibgit2() {
    static const int initialised = git_libgit2_init();
    Q_UNUSED(initialised);
}

QString redactUrl(const QString& text) {
    // The userinfo part may hold a token; the host and path are what a reader needs. User info runs
    // to the last '@' before the host, as git and Go split it: a password may hold '@' itself.
    static const QRegularExpression userinfo(QStringLiteral("([A-Za-z][A-Za-z0-9+.-]*://)[^/\\s]*@"));
    QString out = text;
    out.replace(userinfo, QStringLiteral("\\1"));
    return redactCredentials(out);
}

QString lastErrorText(int code) {
    const git_error* error = git_error_last();
    if (error && error->message && *error->message)
        return redactUrl(QString::fromUtf8(error->message).trimmed());
    return QStringLiteral("libgit2 error %1").arg(code);
}

Error libgit2Error(int code, const QString& action, const QString& repository, const QString& fix) {
    Error::Code kind = Error::Code::External;
    const git_error* last = git_error_last();
    const int klass = last ? last->klass : 0;
    switch (code) {
    case GIT_ENOTFOUND:
        kind = Error::Code::NotFound;
        break;
    case GIT_EAUTH:
        kind = Error::Code::Unauthorized;
        break;
    case GIT_ECERTIFICATE:
        kind = Error::Code::Unavailable;
        break;
    case GIT_EAMBIGUOUS:
    case GIT_EINVALIDSPEC:
        kind = Error::Code::Invalid;
        break;
    case GIT_ECONFLICT:
    case GIT_EMERGECONFLICT:
    case GIT_ELOCKED:
    case GIT_EMODIFIED:
    case GIT_EUNCOMMITTED:
    case GIT_ENONFASTFORWARD:
        kind = Error::Code::Conflict;
        break;
    default:
        if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSH || klass == GIT_ERROR_HTTP ||
            klass == GIT_ERROR_SSL)
            kind = Error::Code::Unavailable;
        break;
    }
    QString message = action + QStringLiteral(" in repository ") + redactUrl(repository) +
                      QStringLiteral(" failed: ") + lastErrorText(code);
    if (!fix.isEmpty())
        message += QStringLiteral(" (") + fix + QLatin1Char(')');
    return Error::make(kind, message);
}

QString oidText(const git_oid* oid) {
    char buffer[GIT_OID_HEXSZ + 1] = {};
    git_oid_tostr(buffer, sizeof buffer, oid);
    return QString::fromLatin1(buffer);
}

QString shortOid(const git_oid* oid) {
    return oidText(oid).left(10);
}

QByteArray toPathBytes(const QString& path) {
    return path.toUtf8();
}

std::optional<QString> normalisedRepoPath(const QString& path) {
    QStringList parts;
    for (const QString& part : path.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (part == QStringLiteral("."))
            continue;
        if (part == QStringLiteral(".."))
            return std::nullopt;
        parts << part;
    }
    return parts.join(QLatin1Char('/'));
}

namespace {

using ConfigHandle = Handle<git_config, git_config_free>;

int collectValue(const git_config_entry* entry, void* payload) {
    static_cast<QList<QByteArray>*>(payload)->append(QByteArray(entry->value));
    return 0;
}

QByteArray configValue(git_config* config, const QByteArray& key) {
    git_buf buf = GIT_BUF_INIT;
    QByteArray value;
    if (git_config_get_string_buf(&buf, config, key.constData()) == 0)
        value = QByteArray(buf.ptr, qsizetype(buf.size));
    git_buf_dispose(&buf);
    git_error_clear();
    return value;
}

} // namespace

std::optional<RemoteConfig> remoteConfig(git_repository* repo, const QString& name) {
    git_config* raw = nullptr;
    if (git_repository_config_snapshot(&raw, repo) != 0) {
        git_error_clear();
        return std::nullopt;
    }
    ConfigHandle config(raw);
    const QByteArray prefix = "remote." + name.toUtf8() + '.';
    RemoteConfig remote;
    remote.name = name;
    remote.url = configValue(config.get(), prefix + "url");
    if (remote.url.isEmpty())
        return std::nullopt;
    remote.pushUrl = configValue(config.get(), prefix + "pushurl");
    if (remote.pushUrl.isEmpty())
        remote.pushUrl = remote.url;
    git_config_get_multivar_foreach(config.get(), QByteArray(prefix + "fetch").constData(), nullptr,
                                    collectValue, &remote.fetchRefspecs);
    git_error_clear();
    return remote;
}

int createRemote(RemoteHandle& out, git_repository* repo, const QByteArray& url) {
    git_remote_create_options options;
    git_remote_create_options_init(&options, GIT_REMOTE_CREATE_OPTIONS_VERSION);
    options.repository = repo;
    options.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
    git_remote* raw = nullptr;
    const int rc = git_remote_create_with_opts(&raw, url.constData(), &options);
    out.reset(raw);
    return rc;
}

RemoteSession::RemoteSession(const RemoteOptions& options, QString displayUrl)
    : options(options)
    , displayUrl(std::move(displayUrl)) {}

namespace {

int onTransferProgress(const git_indexer_progress* stats, void* payload) {
    auto* session = static_cast<RemoteSession*>(payload);
    if (session->cancelled())
        return GIT_EUSER;
    if (session->options.progress) {
        TransferProgress progress;
        progress.phase = stats->received_objects < stats->total_objects ? TransferProgress::Phase::Receiving
                                                                        : TransferProgress::Phase::Indexing;
        progress.totalObjects = stats->total_objects;
        progress.receivedObjects = stats->received_objects;
        progress.indexedObjects = stats->indexed_objects;
        progress.receivedBytes = stats->received_bytes;
        session->options.progress(progress);
    }
    return session->cancelled() ? GIT_EUSER : 0;
}

int onSideband(const char*, int, void* payload) {
    return static_cast<RemoteSession*>(payload)->cancelled() ? GIT_EUSER : 0;
}

int onPackProgress(int, uint32_t, uint32_t, void* payload) {
    return static_cast<RemoteSession*>(payload)->cancelled() ? GIT_EUSER : 0;
}

int onPushProgress(unsigned int current, unsigned int total, size_t bytes, void* payload) {
    auto* session = static_cast<RemoteSession*>(payload);
    if (session->cancelled())
        return GIT_EUSER;
    if (session->options.progress) {
        TransferProgress progress;
        progress.phase = TransferProgress::Phase::Pushing;
        progress.totalObjects = total;
        progress.receivedObjects = current;
        progress.indexedObjects = current;
        progress.receivedBytes = bytes;
        session->options.progress(progress);
    }
    return 0;
}

int onPushUpdateReference(const char* refname, const char* status, void* payload) {
    // A rejected ref is not an error return from git_remote_push: it only shows up here.
    if (status)
        static_cast<RemoteSession*>(payload)->pushRejections
            << QString::fromUtf8(refname) + QStringLiteral(": ") + QString::fromUtf8(status);
    return 0;
}

} // namespace

void RemoteSession::fill(git_remote_callbacks& callbacks) {
    callbacks.transfer_progress = onTransferProgress;
    callbacks.sideband_progress = onSideband;
    callbacks.pack_progress = onPackProgress;
    callbacks.push_transfer_progress = onPushProgress;
    callbacks.push_update_reference = onPushUpdateReference;
    callbacks.credentials = acquireCredential;
    callbacks.payload = this;
}

Error RemoteSession::failure(int code, const QString& action) const {
    if (cancelled())
        return Error::make(Error::Code::Cancelled,
                           action + QStringLiteral(" of ") + displayUrl + QStringLiteral(" was cancelled"));
    if (credentialFailure)
        return *credentialFailure;
    if (code == GIT_EAUTH)
        return Error::make(Error::Code::Unauthorized,
                           action + QStringLiteral(" of ") + displayUrl + QStringLiteral(" was refused: ") +
                               lastErrorText(code) +
                               QStringLiteral(" (check the repository's credential reference)"));
    if (code == GIT_ECERTIFICATE)
        return Error::make(Error::Code::Unavailable,
                           QStringLiteral("the TLS certificate of ") + displayUrl +
                               QStringLiteral(" is not trusted: ") + lastErrorText(code) +
                               QStringLiteral(" (install its CA certificate in the system trust store)"));
    Error error = libgit2Error(code, action, displayUrl);
    if (error.code == Error::Code::Unavailable || error.code == Error::Code::NotFound ||
        error.code == Error::Code::External) {
        return Error::make(error.code == Error::Code::External ? Error::Code::Unavailable : error.code,
                           QStringLiteral("repository ") + displayUrl +
                               QStringLiteral(" vanished or is unreachable: ") + lastErrorText(code) +
                               QStringLiteral(" (check the URL and your network)"));
    }
    return error;
}

} // namespace driftdeck::git::detail

namespace driftdeck::git {

QString libgit2Version() {
    int major = 0;
    int minor = 0;
    int revision = 0;
    git_libgit2_version(&major, &minor, &revision);
    return QStringLiteral("%1.%2.%3").arg(major).arg(minor).arg(revision);
}

} // namespace driftdeck::git
