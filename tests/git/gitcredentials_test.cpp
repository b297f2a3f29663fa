// Credentials reach the server as the reference says, and never reach an error message. The
// "server" is a loopback socket that answers every request with 401 and records what it was sent.

#include "git/gitworker.h"
#include "gittestrepo.h"

#include <QDir>
#include <QFile>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>

#include <gtest/gtest.h>

using namespace driftdeck;
using namespace driftdeck::git;
using driftdeck::test::waitUntil;

namespace {

class UnauthorizedServer : public QObject {
public:
    UnauthorizedServer() {
        m_server.listen(QHostAddress::LocalHost, 0);
        QObject::connect(&m_server, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket] { onData(socket); });
                QObject::connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }
    QString url() const {
        return QStringLiteral("http://127.0.0.1:%1/org/repo.git").arg(m_server.serverPort());
    }
    int requests = 0;
    QList<QByteArray> authorizations; // decoded "user:password" of every Authorization header

private:
    void onData(QTcpSocket* socket) {
        QByteArray& buffer = m_buffers[socket];
        buffer += socket->readAll();
        if (!buffer.contains("\r\n\r\n"))
            return;
        ++requests;
        for (const QByteArray& line : buffer.split('\n')) {
            if (line.toLower().startsWith("authorization: basic "))
                authorizations << QByteArray::fromBase64(line.mid(21).trimmed());
        }
        m_buffers.remove(socket);
        socket->write("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\n"
                      "Content-Length: 0\r\nConnection: close\r\n\r\n");
        socket->disconnectFromHost();
    }

    QTcpServer m_server;
    QHash<QTcpSocket*, QByteArray> m_buffers;
};

class GitCredentialsTest : public ::testing::Test {
protected:
    void SetUp() override {
        test::isolateGitEnvironment();
        ASSERT_TRUE(m_cache.isValid());
    }

    // Clones on the worker thread while this thread serves the socket.
    Error cloneWith(const CredentialRef& credentials, const QString& urlSuffix = {}) {
        GitWorker worker(m_cache.path());
        RepositorySource source;
        source.url = server.url() + urlSuffix;
        source.credentials = credentials;
        GitJob<Done> job = worker.fetch(source);
        EXPECT_TRUE(waitUntil([&] { return job.future.isFinished(); }, std::chrono::seconds(60)));
        if (!job.future.isFinished() || job.future.resultCount() == 0)
            return Error::make(Error::Code::Internal, QStringLiteral("no result"));
        EXPECT_FALSE(job.future.result().ok());
        return job.future.result().ok() ? Error{} : job.future.result().error();
    }

    static void expectClean(const Error& error, const QByteArray& secret) {
        const QString text = error.toString();
        EXPECT_FALSE(text.contains(QString::fromUtf8(secret))) << text.toStdString();
    }

    UnauthorizedServer server;
    QTemporaryDir m_cache;
};

TEST_F(GitCredentialsTest, TokenFromEnvironmentIsSentAndNeverShown) {
    qputenv("DRIFTDECK_TEST_GIT_TOKEN", "tok-123-very-secret");
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::TokenEnv;
    ref.source = QStringLiteral("DRIFTDECK_TEST_GIT_TOKEN");
    const Error error = cloneWith(ref);
    qunsetenv("DRIFTDECK_TEST_GIT_TOKEN");
    EXPECT_EQ(error.code, Error::Code::Unauthorized) << error.message.toStdString();
    ASSERT_FALSE(server.authorizations.isEmpty());
    EXPECT_EQ(server.authorizations.first(), QByteArray("x-access-token:tok-123-very-secret"));
    EXPECT_TRUE(error.message.contains(server.url())) << error.message.toStdString();
    EXPECT_TRUE(error.message.contains(QStringLiteral("rejected"))) << error.message.toStdString();
    expectClean(error, "tok-123-very-secret");
    EXPECT_LE(server.requests, 4) << "a rejected credential is not retried forever";
}

TEST_F(GitCredentialsTest, MissingEnvironmentVariableIsNamed) {
    qunsetenv("DRIFTDECK_TEST_GIT_TOKEN_UNSET");
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::TokenEnv;
    ref.source = QStringLiteral("DRIFTDECK_TEST_GIT_TOKEN_UNSET");
    const Error error = cloneWith(ref);
    EXPECT_EQ(error.code, Error::Code::Unauthorized);
    EXPECT_TRUE(error.message.contains(QStringLiteral("DRIFTDECK_TEST_GIT_TOKEN_UNSET")))
        << error.message.toStdString();
    EXPECT_TRUE(server.authorizations.isEmpty());
}

TEST_F(GitCredentialsTest, TokenFileWithUserName) {
    QTemporaryDir dir;
    QFile file(dir.path() + QStringLiteral("/token"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("file-token-456\n");
    file.close();
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::TokenFile;
    ref.source = file.fileName();
    ref.username = QStringLiteral("oauth2");
    const Error error = cloneWith(ref);
    ASSERT_FALSE(server.authorizations.isEmpty());
    EXPECT_EQ(server.authorizations.first(), QByteArray("oauth2:file-token-456"));
    expectClean(error, "file-token-456");
}

// docs/workspace.md recommends `file: ~/.config/driftdeck/github-token`: "~/" is the home directory.
TEST_F(GitCredentialsTest, TokenFileUnderTheHomeDirectory) {
    const QString home = qEnvironmentVariable("HOME");
    QFile file(home + QStringLiteral("/.config/driftdeck-test-token"));
    ASSERT_TRUE(QDir().mkpath(home + QStringLiteral("/.config")));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("home-token-321\n");
    file.close();
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::TokenFile;
    ref.source = QStringLiteral("~/.config/driftdeck-test-token");
    const Error error = cloneWith(ref);
    QFile::remove(file.fileName());
    ASSERT_FALSE(server.authorizations.isEmpty()) << error.message.toStdString();
    EXPECT_EQ(server.authorizations.first(), QByteArray("x-access-token:home-token-321"));
    expectClean(error, "home-token-321");
}

TEST_F(GitCredentialsTest, CredentialHelperAnswersLikeForGit) {
    // The isolated HOME's Git config names a helper, as a user's ~/.gitconfig would.
    const QString config = qEnvironmentVariable("HOME") + QStringLiteral("/.gitconfig");
    QFile file(config);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write("[credential]\n\thelper = \"!f() { echo username=helper-user; echo password=helper-pass-789; "
               "}; f\"\n");
    file.close();
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::CredentialHelper;
    const Error error = cloneWith(ref);
    QFile::remove(config);
    ASSERT_FALSE(server.authorizations.isEmpty()) << error.message.toStdString();
    EXPECT_EQ(server.authorizations.first(), QByteArray("helper-user:helper-pass-789"));
    expectClean(error, "helper-pass-789");
}

// A line break in a field of `git credential fill` could add a line such as a second host= and get
// another host's password from the helper (cf. CVE-2020-5260): the helper is not even asked.
TEST_F(GitCredentialsTest, CredentialHelperIsNotAskedWithALineBreakInAField) {
    const QString home = qEnvironmentVariable("HOME");
    const QString asked = home + QStringLiteral("/helper-was-asked");
    QFile file(home + QStringLiteral("/.gitconfig"));
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(
        "[credential]\n\thelper = \"!f() { cat > \\\"$HOME/helper-was-asked\\\"; echo username=u; echo "
        "password=helper-pass-789; }; f\"\n");
    file.close();

    CredentialRef ref;
    ref.kind = CredentialRef::Kind::CredentialHelper;
    ref.username = QStringLiteral("bob\nhost=evil.example");
    const Error byUser = cloneWith(ref);
    EXPECT_EQ(byUser.code, Error::Code::Invalid) << byUser.message.toStdString();
    EXPECT_TRUE(byUser.message.contains(QStringLiteral("its username contains a line break")))
        << byUser.message.toStdString();

    ref.username.clear();
    const Error byPath = cloneWith(ref, QStringLiteral("%0Ahost=evil.example"));
    EXPECT_EQ(byPath.code, Error::Code::Invalid) << byPath.message.toStdString();
    EXPECT_TRUE(byPath.message.contains(QStringLiteral("its path contains a line break")))
        << byPath.message.toStdString();

    QFile::remove(file.fileName());
    EXPECT_FALSE(QFile::exists(asked)) << "the helper was run with: " << test::readFile(asked).constData();
    EXPECT_TRUE(server.authorizations.isEmpty());

    // The same helper is asked for an ordinary URL (so the check above is not vacuous).
    ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(
        "[credential]\n\thelper = \"!f() { cat > \\\"$HOME/helper-was-asked\\\"; echo username=u; echo "
        "password=helper-pass-789; }; f\"\n");
    file.close();
    cloneWith(ref);
    QFile::remove(file.fileName());
    EXPECT_TRUE(test::readFile(asked).contains("host=127.0.0.1")) << test::readFile(asked).constData();
}

TEST_F(GitCredentialsTest, NoCredentialReferenceSaysWhatToConfigure) {
    const Error error = cloneWith({});
    EXPECT_EQ(error.code, Error::Code::Unauthorized);
    EXPECT_TRUE(error.message.contains(QStringLiteral("requires authentication")))
        << error.message.toStdString();
    EXPECT_TRUE(error.message.contains(server.url()));
}

TEST_F(GitCredentialsTest, SshKeyReferenceOnAnHttpUrlIsExplained) {
    CredentialRef ref;
    ref.kind = CredentialRef::Kind::SshKeyFile;
    ref.source = QStringLiteral("/nonexistent/id_ed25519");
    const Error error = cloneWith(ref);
    EXPECT_EQ(error.code, Error::Code::Invalid);
    EXPECT_TRUE(error.message.contains(QStringLiteral("ssh"))) << error.message.toStdString();
}

TEST(GitTls, UntrustedCertificateIsNamedAsSuch) {
    test::isolateGitEnvironment();
    QTemporaryDir dir;
    const QString key = dir.path() + QStringLiteral("/key.pem");
    const QString cert = dir.path() + QStringLiteral("/cert.pem");
    const test::ProcessResult made =
        test::runProcess(QStringLiteral("openssl"),
                         {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                          QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-subj"),
                          QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-days"), QStringLiteral("1"),
                          QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert});
    if (made.exitCode != 0)
        GTEST_SKIP() << "openssl cannot make a test certificate";
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(test::readFile(cert)));
    tls.setPrivateKey(QSslKey(test::readFile(key), QSsl::Rsa));
    QSslServer server;
    server.setSslConfiguration(tls);
    ASSERT_TRUE(server.listen(QHostAddress::LocalHost, 0));

    QTemporaryDir cache;
    GitWorker worker(cache.path());
    RepositorySource source;
    source.url = QStringLiteral("https://127.0.0.1:%1/org/repo.git").arg(server.serverPort());
    GitJob<Done> job = worker.fetch(source);
    ASSERT_TRUE(waitUntil([&] { return job.future.isFinished(); }, std::chrono::seconds(60)));
    ASSERT_FALSE(job.future.result().ok());
    const Error error = job.future.result().error();
    EXPECT_EQ(error.code, Error::Code::Unavailable);
    EXPECT_TRUE(error.message.contains(QStringLiteral("certificate"))) << error.message.toStdString();
    EXPECT_TRUE(error.message.contains(source.url)) << error.message.toStdString();
}

} // namespace
