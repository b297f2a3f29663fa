// Turns a CredentialRef into the credential libgit2 asks for. Secrets are read here, handed to
// libgit2 and never stored, logged or put into an error.

#include "git/git_p.h"
#include "model/appspec.h"

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QUrl>

namespace driftdeck::git::detail {

namespace {

struct HelperAnswer {
    QString username;
    QByteArray password;
};

// `git credential fill` reads "key=value" lines. A line break inside a value would let a crafted URL
// or user name (the user name may come from an imported repoURL) add lines of its own, such as a
// second host=, and get another host's credentials from the helper (cf. CVE-2020-5260); git itself
// refuses such values. Returns which field holds one, or empty.
QString fieldWithLineBreak(const QString& url, const QString& username) {
    const QUrl parsed(url);
    const std::pair<const char*, QString> fields[] = {{"protocol", parsed.scheme()},
                                                      {"host", parsed.host()},
                                                      {"path", parsed.path()},
                                                      {"username", username}};
    for (const auto& [name, value] : fields) {
        if (value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r')) ||
            value.contains(QChar(0)))
            return QString::fromLatin1(name);
    }
    return {};
}

// `git credential fill` asks the user's configured helper (store, cache, libsecret, a manager).
std::optional<HelperAnswer> askCredentialHelper(const QString& url, const QString& username) {
    const QUrl parsed(url);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return std::nullopt;
    QByteArray request = "protocol=" + parsed.scheme().toUtf8() + "\nhost=" + parsed.host().toUtf8();
    if (parsed.port() > 0)
        request += ':' + QByteArray::number(parsed.port());
    request += "\npath=" + parsed.path().mid(1).toUtf8() + '\n';
    if (!username.isEmpty())
        request += "username=" + username.toUtf8() + '\n';
    request += '\n';

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The worker has no terminal: a helper must answer or fail, never wait for typing.
    env.insert(QStringLiteral("GIT_TERMINAL_PROMPT"), QStringLiteral("0"));
    process.setProcessEnvironment(env);
    process.start(QStringLiteral("git"), {QStringLiteral("credential"), QStringLiteral("fill")});
    if (!process.waitForStarted(5000))
        return std::nullopt;
    process.write(request);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000)) {
        process.kill();
        process.waitForFinished(2000);
        return std::nullopt;
    }
    if (process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0)
        return std::nullopt;
    HelperAnswer answer;
    const QList<QByteArray> lines = process.readAllStandardOutput().split('\n');
    for (const QByteArray& line : lines) {
        if (line.startsWith("username="))
            answer.username = QString::fromUtf8(line.mid(9));
        else if (line.startsWith("password="))
            answer.password = line.mid(9);
    }
    if (answer.password.isEmpty())
        return std::nullopt;
    return answer;
}

QByteArray readTokenFile(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readLine(64 * 1024).trimmed();
}

int refuse(RemoteSession* session, Error::Code code, const QString& message) {
    session->credentialFailure = Error::make(code, message);
    return GIT_EAUTH;
}

} // namespace

int acquireCredential(git_credential** out, const char* url, const char* usernameFromUrl,
                      unsigned int allowed, void* payload) {
    auto* session = static_cast<RemoteSession*>(payload);
    const CredentialRef& ref = session->options.credentials;
    const QString where = session->displayUrl;
    const QString urlUser = usernameFromUrl ? QString::fromUtf8(usernameFromUrl) : QString();

    // libgit2 asks again after a rejection; a second answer from the same source would be the same.
    if (++session->credentialAttempts > 2 ||
        (session->credentialAttempts > 1 && !(allowed & GIT_CREDENTIAL_SSH_KEY)))
        return refuse(
            session, Error::Code::Unauthorized,
            QStringLiteral("repository ") + where +
                QStringLiteral(" rejected the credentials (check the token, helper or key the "
                               "repository's credential reference points to, and its access rights)"));

    const bool wantsSsh = allowed & (GIT_CREDENTIAL_SSH_KEY | GIT_CREDENTIAL_SSH_CUSTOM);
    const bool wantsPassword = allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT;

    if ((allowed & GIT_CREDENTIAL_USERNAME) && !wantsSsh) {
        const QString user = !ref.username.isEmpty() ? ref.username : QStringLiteral("git");
        return git_credential_username_new(out, user.toUtf8().constData());
    }

    switch (ref.kind) {
    case CredentialRef::Kind::None:
        if (wantsSsh) {
            // Without an explicit reference, ssh is expected to work through the agent as it does for git.
            const QString user = !urlUser.isEmpty() ? urlUser : QStringLiteral("git");
            return git_credential_ssh_key_from_agent(out, user.toUtf8().constData());
        }
        return refuse(session, Error::Code::Unauthorized,
                      QStringLiteral("repository ") + where +
                          QStringLiteral(" requires authentication (give it a credential reference: a token "
                                         "from an environment variable or file, the git credential helper, "
                                         "or an ssh key)"));
    case CredentialRef::Kind::TokenEnv:
    case CredentialRef::Kind::TokenFile: {
        if (!wantsPassword)
            return refuse(
                session, Error::Code::Invalid,
                QStringLiteral("repository ") + where +
                    QStringLiteral(" does not accept a token (use an https URL for tokens, or an ssh "
                                   "key for ssh URLs)"));
        QByteArray token;
        if (ref.kind == CredentialRef::Kind::TokenEnv) {
            token = qgetenv(ref.source.toLocal8Bit().constData()).trimmed();
            if (token.isEmpty())
                return refuse(session, Error::Code::Unauthorized,
                              QStringLiteral("the token for ") + where +
                                  QStringLiteral(" is missing: environment "
                                                 "variable ") +
                                  ref.source +
                                  QStringLiteral(" is not set or empty (export it before starting)"));
        } else {
            token = readTokenFile(expandHomePath(ref.source));
            if (token.isEmpty())
                return refuse(session, Error::Code::Unauthorized,
                              QStringLiteral("the token for ") + where +
                                  QStringLiteral(" is missing: file ") + ref.source +
                                  QStringLiteral(" cannot be read or is empty"));
        }
        const QString user = !ref.username.isEmpty() ? ref.username
                             : !urlUser.isEmpty()    ? urlUser
                                                     : QStringLiteral("x-access-token");
        const int rc =
            git_credential_userpass_plaintext_new(out, user.toUtf8().constData(), token.constData());
        token.fill('\0');
        return rc;
    }
    case CredentialRef::Kind::CredentialHelper: {
        if (!wantsPassword)
            return refuse(
                session, Error::Code::Invalid,
                QStringLiteral("repository ") + where +
                    QStringLiteral(" does not accept a user name and password (the credential helper "
                                   "serves https URLs)"));
        const QString helperUser = !ref.username.isEmpty() ? ref.username : urlUser;
        if (const QString field = fieldWithLineBreak(QString::fromUtf8(url), helperUser); !field.isEmpty())
            return refuse(session, Error::Code::Invalid,
                          QStringLiteral("the credential helper was not asked for ") + where +
                              QStringLiteral(": its ") + field +
                              QStringLiteral(" contains a line break or NUL, which could ask the helper for "
                                             "another host's credentials (fix the repository URL or user "
                                             "name)"));
        std::optional<HelperAnswer> answer = askCredentialHelper(QString::fromUtf8(url), helperUser);
        if (!answer)
            return refuse(session, Error::Code::Unauthorized,
                          QStringLiteral("no git credential helper supplied a password for ") + where +
                              QStringLiteral(" (configure one with `git config credential.helper`, or use a "
                                             "token reference)"));
        const int rc = git_credential_userpass_plaintext_new(out, answer->username.toUtf8().constData(),
                                                             answer->password.constData());
        answer->password.fill('\0');
        return rc;
    }
    case CredentialRef::Kind::SshAgent:
    case CredentialRef::Kind::SshKeyFile: {
        if (!wantsSsh)
            return refuse(
                session, Error::Code::Invalid,
                QStringLiteral("repository ") + where +
                    QStringLiteral(" is not an ssh URL but its credential reference is an ssh key"));
        const QString user = !ref.username.isEmpty() ? ref.username
                             : !urlUser.isEmpty()    ? urlUser
                                                     : QStringLiteral("git");
        if (ref.kind == CredentialRef::Kind::SshAgent)
            return git_credential_ssh_key_from_agent(out, user.toUtf8().constData());
        const QString keyFile = expandHomePath(ref.source);
        if (!QFile::exists(keyFile))
            return refuse(session, Error::Code::NotFound,
                          QStringLiteral("ssh key file ") + keyFile + QStringLiteral(" for ") + where +
                              QStringLiteral(" does not exist"));
        const QString publicKey = keyFile + QStringLiteral(".pub");
        QByteArray passphrase;
        if (!ref.passphraseEnv.isEmpty())
            passphrase = qgetenv(ref.passphraseEnv.toLocal8Bit().constData());
        const int rc = git_credential_ssh_key_new(
            out, user.toUtf8().constData(),
            QFile::exists(publicKey) ? publicKey.toLocal8Bit().constData() : nullptr,
            keyFile.toLocal8Bit().constData(), passphrase.isEmpty() ? nullptr : passphrase.constData());
        passphrase.fill('\0');
        return rc;
    }
    }
    return GIT_PASSTHROUGH;
}

} // namespace driftdeck::git::detail

namespace driftdeck::git {

CredentialRef credentialRefOf(const CredentialsRef& ref) {
    CredentialRef out;
    out.username = ref.username;
    out.passphraseEnv = ref.passphraseEnv;
    switch (ref.type) {
    case CredentialsRef::Type::None:
        break;
    case CredentialsRef::Type::Token:
        out.kind = ref.env.isEmpty() ? CredentialRef::Kind::TokenFile : CredentialRef::Kind::TokenEnv;
        out.source = ref.env.isEmpty() ? ref.file : ref.env;
        break;
    case CredentialsRef::Type::SshAgent:
        out.kind = CredentialRef::Kind::SshAgent;
        break;
    case CredentialsRef::Type::SshKey:
        out.kind = CredentialRef::Kind::SshKeyFile;
        out.source = ref.file;
        break;
    case CredentialsRef::Type::Helper:
        out.kind = CredentialRef::Kind::CredentialHelper;
        break;
    }
    return out;
}

} // namespace driftdeck::git
