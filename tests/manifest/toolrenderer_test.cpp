// External renderers: kustomize/kubectl lookup, helm argv, the workspace command, and how timeouts,
// cancellation and tool failures are reported.
#include "manifest/toolprocess.h"
#include "manifest/toolrenderers.h"
#include "manifesttestsupport.h"
#include "testsupport.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QThread>

#include <gtest/gtest.h>
#include <signal.h>
#include <thread>

using namespace driftdeck;
using namespace driftdeck::manifest;
using namespace Qt::StringLiterals;

namespace {

const QByteArray Service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";

QString shell() {
    return QStringLiteral("/bin/sh");
}

// A fake `helm` that records its arguments next to itself and prints two documents as helm does.
QString writeFakeHelm(const QString& binDir) {
    const QByteArray script = R"(#!/bin/sh
for a in "$@"; do printf '%s\n' "$a"; done > "$(dirname "$0")/helm-args.txt"
cat <<'YAML'
---
# Source: mychart/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: web
---
# Source: mychart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
YAML
)";
    test::writeFile(binDir, u"helm"_s, script);
    const QString path = QDir(binDir).filePath(u"helm"_s);
    QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    return path;
}

} // namespace

TEST(CommandRendererTest, StdoutIsTheYamlStreamAndRunsInTheDirectoryWithEnvironment) {
    QTemporaryDir dir;
    ASSERT_TRUE(test::writeFile(dir.path(), u"svc.yaml"_s, Service));
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command, u"web"_s);
    request.ns = u"shop"_s;
    // The argv is exec'd directly; the shell here is the workspace author's choice, not ours.
    request.spec.command.argv = {shell(), u"-c"_s,
                                 u"cat svc.yaml; echo '---'; printf 'apiVersion: v1\\nkind: ConfigMap\\n"
                                 u"metadata:\\n  name: %s-%s-%s\\n' \"$DRIFTDECK_APP_NAME\" "
                                 u"\"$DRIFTDECK_APP_NAMESPACE\" \"$EXTRA\""_s};
    request.spec.command.env = {u"EXTRA=more"_s};
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 2);
    EXPECT_EQ(result->objects.at(0).key.name, u"web"_s);
    EXPECT_EQ(result->objects.at(1).key.name, u"web-shop-more"_s);
    EXPECT_EQ(result->objects.at(1).source.documentIndex, 1);
}

TEST(CommandRendererTest, ArgumentsAreNotInterpretedByAShell) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command);
    // With a shell, "; touch pwned" would run. Without one it is just an argument to echo.
    request.spec.command.argv = {u"echo"_s, u"apiVersion: v1; touch pwned"_s};
    const Result<RenderResult> result = renderManifests(request);
    EXPECT_FALSE(QFile::exists(QDir(dir.path()).filePath(u"pwned"_s)));
    ASSERT_FALSE(result.ok()); // a mapping without kind is not an object
}

TEST(CommandRendererTest, HangingCommandIsStoppedAtTheTimeout) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command, u"slow"_s);
    request.spec.command.argv = {u"sleep"_s, u"30"_s};
    request.spec.timeoutSeconds = 1;
    QElapsedTimer timer;
    timer.start();
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    // Not a timing assertion: a bound far below the 30 s the command would take if left alone.
    EXPECT_LT(timer.elapsed(), 20000) << "the timeout must stop the command, not wait for it";
    EXPECT_EQ(result.error().code, Error::Code::Unavailable);
    EXPECT_TRUE(result.error().message.contains("within 1 s"_L1)) << result.error().message.toStdString();
    EXPECT_TRUE(result.error().message.contains("slow"_L1));
    EXPECT_TRUE(result.error().message.contains("timeoutSeconds"_L1));
}

TEST(CommandRendererTest, TimeoutKillsTheWholeProcessGroup) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command);
    // The shell starts a grandchild and records its pid; the timeout must kill it too.
    request.spec.command.argv = {shell(), u"-c"_s, u"sleep 30 & echo $! > child.pid; wait"_s};
    request.spec.timeoutSeconds = 1;
    ASSERT_FALSE(renderManifests(request).ok());
    const QByteArray pidText = test::readFile(QDir(dir.path()).filePath(u"child.pid"_s)).trimmed();
    ASSERT_FALSE(pidText.isEmpty());
    const pid_t pid = pid_t(pidText.toInt());
    ASSERT_GT(pid, 0);
    auto alive = [pid] {
        if (::kill(pid, 0) != 0)
            return false;
        // A killed child waiting to be reaped by init still answers kill(pid, 0).
        const QByteArray stat = test::readFile(u"/proc/%1/stat"_s.arg(pid));
        const qsizetype close = stat.lastIndexOf(')');
        return close < 0 || stat.mid(close + 2, 1) != "Z";
    };
    EXPECT_TRUE(test::waitUntil([&] { return !alive(); }, std::chrono::seconds(5)))
        << "the grandchild survived the timeout";
}

TEST(CommandRendererTest, CancellationStopsAWaitingTool) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command);
    request.spec.command.argv = {u"sleep"_s, u"30"_s};
    std::atomic_bool cancelled{false};
    request.cancelled = &cancelled;
    std::thread canceller([&] {
        QThread::msleep(200);
        cancelled = true;
    });
    const Result<RenderResult> result = renderManifests(request);
    canceller.join();
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::Cancelled);
}

TEST(CommandRendererTest, FailureKeepsStderrInDetailOnly) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command, u"failing"_s);
    request.spec.command.argv = {shell(), u"-c"_s, u"echo 'boom: values.yaml line 3' >&2; exit 3"_s};
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::External);
    EXPECT_TRUE(result.error().message.contains("exit code 3"_L1));
    EXPECT_TRUE(result.error().message.contains("failing"_L1));
    EXPECT_FALSE(result.error().message.contains("boom"_L1));
    EXPECT_EQ(result.error().detail, u"boom: values.yaml line 3"_s);
}

TEST(CommandRendererTest, HugeStderrIsBounded) {
    const QString detail = boundedStderr(QByteArray(100000, 'x') + "the real error\n");
    EXPECT_LE(detail.size(), 4200);
    EXPECT_TRUE(detail.endsWith("the real error"_L1));
}

TEST(CommandRendererTest, EmptyArgvAndUnknownProgramAreClearErrors) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command);
    Result<RenderResult> empty = renderManifests(request);
    ASSERT_FALSE(empty.ok());
    EXPECT_TRUE(empty.error().message.contains("argv is empty"_L1));

    request.spec.command.argv = {u"driftdeck-no-such-renderer"_s};
    Result<RenderResult> missing = renderManifests(request);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, Error::Code::External);
    EXPECT_TRUE(missing.error().message.contains("could not start"_L1));
}

TEST(KustomizeRendererTest, MissingKustomizeAndKubectlNamesBoth) {
    QTemporaryDir dir;
    ASSERT_TRUE(test::writeFile(dir.path(), u"kustomization.yaml"_s, "resources: []\n"));
    test::ScopedEnvironment path("PATH", QByteArray());
    const Result<RenderResult> result =
        renderManifests(test::requestFor(dir.path(), RendererSpec::Type::Kustomize, u"guestbook"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::NotFound);
    const QString message = result.error().message;
    EXPECT_TRUE(message.contains("neither kustomize nor kubectl"_L1)) << message.toStdString();
    EXPECT_TRUE(message.contains("install"_L1));
    EXPECT_TRUE(message.contains("guestbook"_L1));
}

TEST(KustomizeRendererTest, MissingKustomizationIsNamed) {
    QTemporaryDir dir;
    const Result<RenderResult> result =
        renderManifests(test::requestFor(dir.path(), RendererSpec::Type::Kustomize, u"guestbook"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_TRUE(result.error().message.contains("no kustomization.yaml"_L1));
}

TEST(KustomizeRendererTest, BuildErrorGoesToDetail) {
    DRIFTDECK_REQUIRE_KUBECTL();
    QTemporaryDir dir;
    ASSERT_TRUE(test::writeFile(dir.path(), u"kustomization.yaml"_s, "resources:\n- missing.yaml\n"));
    const Result<RenderResult> result =
        renderManifests(test::requestFor(dir.path(), RendererSpec::Type::Kustomize, u"broken"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::External);
    EXPECT_TRUE(result.error().message.contains("broken"_L1));
    EXPECT_TRUE(result.error().detail.contains("missing.yaml"_L1)) << result.error().detail.toStdString();
}

TEST(KustomizeRendererTest, SettingsAreAppliedToTheKustomization) {
    DRIFTDECK_REQUIRE_KUBECTL();
    QTemporaryDir dir;
    ASSERT_TRUE(test::writeFile(dir.path(), u"kustomization.yaml"_s, "resources:\n- deploy.yaml\n"));
    ASSERT_TRUE(test::writeFile(dir.path(), u"deploy.yaml"_s, R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.0
)"));
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Kustomize);
    request.spec.kustomize.namePrefix = u"pre-"_s;
    request.spec.kustomize.nameSuffix = u"-suf"_s;
    request.spec.kustomize.images = {u"nginx=registry.local/nginx:2.0"_s};
    request.spec.kustomize.commonLabels = QJsonObject{{u"team"_s, u"blue"_s}};
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 1);
    const DesiredObject& object = result->objects.first();
    EXPECT_EQ(object.key.name, u"pre-web-suf"_s);
    EXPECT_EQ(object.source.file, u"kustomization.yaml"_s);
    EXPECT_EQ(object.object["metadata"_L1]["labels"_L1]["team"_L1].toString(), u"blue"_s);
    const QJsonObject container =
        object.object["spec"_L1]["template"_L1]["spec"_L1]["containers"_L1][0].toObject();
    EXPECT_EQ(container["image"_L1].toString(), u"registry.local/nginx:2.0"_s);
}

TEST(HelmRendererTest, MissingHelmSaysHowToInstallOrWhatElseToUse) {
    QTemporaryDir dir;
    ASSERT_TRUE(test::writeFile(dir.path(), u"Chart.yaml"_s, "name: chart\nversion: 0.1.0\n"));
    test::ScopedEnvironment path("PATH", QDir(dir.path()).filePath(u"empty-bin"_s).toLocal8Bit());
    const Result<RenderResult> result =
        renderManifests(test::requestFor(dir.path(), RendererSpec::Type::Helm, u"chart"_s));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::NotFound);
    EXPECT_TRUE(result.error().message.contains(
        "helm is not installed: install it from your distribution or helm.sh, or render this application "
        "with the kustomize or plain renderer"_L1))
        << result.error().message.toStdString();
}

TEST(HelmRendererTest, FakeHelmOnPathGetsTheExpectedArgvAndSourcesComeFromComments) {
    QTemporaryDir chart;
    QTemporaryDir bin;
    ASSERT_TRUE(test::writeFile(chart.path(), u"Chart.yaml"_s, "name: mychart\nversion: 0.1.0\n"));
    ASSERT_TRUE(test::writeFile(chart.path(), u"values-prod.yaml"_s, "replicas: 2\n"));
    writeFakeHelm(bin.path());
    test::ScopedEnvironment path("PATH", bin.path().toLocal8Bit() + ':' + qgetenv("PATH"));

    RenderRequest request = test::requestFor(chart.path(), RendererSpec::Type::Helm, u"shop"_s);
    request.ns = u"shop-ns"_s;
    request.spec.helm.valueFiles = {u"values-prod.yaml"_s};
    request.spec.helm.parameters = {u"image.tag=v2"_s, u"replicas=3"_s};
    request.spec.helm.valuesObject = QJsonObject{{u"feature"_s, true}};
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 2);
    EXPECT_EQ(result->objects.at(0).source.file, u"templates/service.yaml"_s);
    EXPECT_EQ(result->objects.at(1).source.file, u"templates/deployment.yaml"_s);
    EXPECT_EQ(result->objects.at(1).key.kind, u"Deployment"_s);

    const QStringList args = QString::fromUtf8(test::readFile(QDir(bin.path()).filePath(u"helm-args.txt"_s)))
                                 .split(u'\n', Qt::SkipEmptyParts);
    // Options as --name=value, and the positional arguments after `--`: no setting can become an
    // option of helm.
    ASSERT_EQ(args.size(), 9) << args.join(u' ').toStdString();
    EXPECT_EQ(args.mid(0, 3),
              (QStringList{u"template"_s, u"--namespace=shop-ns"_s, u"--values=values-prod.yaml"_s}));
    EXPECT_TRUE(args.at(3).startsWith("--values="_L1)); // the temporary file holding valuesObject
    EXPECT_TRUE(args.at(3).endsWith(".yaml"_L1));
    EXPECT_EQ(args.mid(4), (QStringList{u"--set=image.tag=v2"_s, u"--set=replicas=3"_s, u"--"_s, u"shop"_s,
                                        chart.path()}));
    EXPECT_FALSE(QFile::exists(args.at(3).mid(9))) << "the values file is removed after rendering";
}

TEST(HelmRendererTest, ReleaseNameAndNamespaceOverrideTheDefaults) {
    RenderRequest request = test::requestFor(u"/charts/x"_s, RendererSpec::Type::Helm, u"app"_s);
    request.ns = u"default-ns"_s;
    EXPECT_EQ(HelmRenderer::arguments(request, {}),
              (QStringList{u"template"_s, u"--namespace=default-ns"_s, u"--"_s, u"app"_s, u"/charts/x"_s}));
    request.spec.helm.releaseName = u"rel"_s;
    request.spec.helm.ns = u"other"_s;
    EXPECT_EQ(HelmRenderer::arguments(request, {}),
              (QStringList{u"template"_s, u"--namespace=other"_s, u"--"_s, u"rel"_s, u"/charts/x"_s}));
}

// The workspace reader and the Argo CD import refuse these too; the renderer must as well, since it
// is the one that runs helm (cf. Argo CD CVE-2022-24348). helm must not even start.
TEST(HelmRendererTest, HostileReleaseNamesAndValueFilesAreRefusedBeforeHelmRuns) {
    QTemporaryDir checkout;
    QTemporaryDir outside;
    QTemporaryDir bin;
    const QString chart = QDir(checkout.path()).filePath(u"charts/web"_s);
    ASSERT_TRUE(QDir().mkpath(chart));
    ASSERT_TRUE(test::writeFile(chart, u"Chart.yaml"_s, "name: mychart\nversion: 0.1.0\n"));
    ASSERT_TRUE(test::writeFile(checkout.path(), u"common/values.yaml"_s, "a: 1\n"));
    ASSERT_TRUE(test::writeFile(outside.path(), u"secret.yaml"_s, "token: x\n"));
    ASSERT_TRUE(
        QFile::link(QDir(outside.path()).filePath(u"secret.yaml"_s), QDir(chart).filePath(u"link.yaml"_s)));
    writeFakeHelm(bin.path());
    test::ScopedEnvironment path("PATH", bin.path().toLocal8Bit() + ':' + qgetenv("PATH"));
    const QString argsFile = QDir(bin.path()).filePath(u"helm-args.txt"_s);

    const auto render = [&](const QString& release, const QStringList& valueFiles) {
        RenderRequest request = test::requestFor(chart, RendererSpec::Type::Helm, u"web"_s);
        request.checkoutRoot = checkout.path();
        request.spec.helm.releaseName = release;
        request.spec.helm.valueFiles = valueFiles;
        return renderManifests(request);
    };
    const struct {
        QString release;
        QStringList valueFiles;
        const char* message;
    } refused[] = {
        {u"--post-renderer=./x.sh"_s, {}, "is not a valid Helm release name"},
        {u"-n"_s, {}, "is not a valid Helm release name"},
        {{}, {u"/etc/passwd"_s}, "is an absolute path"},
        {{}, {u"../../../etc/passwd"_s}, "is outside the repository"},
        {{}, {u"https://example.com/values.yaml"_s}, "is a URL"},
        {{}, {u"link.yaml"_s}, "leads outside the repository through a symbolic link"},
        {{}, {u"missing.yaml"_s}, "does not exist"},
    };
    for (const auto& c : refused) {
        const Result<RenderResult> result = render(c.release, c.valueFiles);
        ASSERT_FALSE(result.ok()) << c.message;
        EXPECT_TRUE(result.error().message.contains(QLatin1StringView(c.message)))
            << result.error().message.toStdString();
        EXPECT_TRUE(result.error().message.contains("app 'web'"_L1)) << result.error().message.toStdString();
        EXPECT_FALSE(QFile::exists(argsFile)) << "helm ran for: " << c.message;
    }
    // A value file beside the chart, reached through "..", is fine.
    const Result<RenderResult> fine = render(u"web.v1"_s, {u"../../common/values.yaml"_s});
    ASSERT_TRUE(fine.ok()) << fine.error().toString().toStdString();
    EXPECT_TRUE(QFile::exists(argsFile));
}

TEST(CommandRendererTest, EndlessOutputIsStoppedAtTheOutputLimit) {
    QTemporaryDir dir;
    RenderRequest request = test::requestFor(dir.path(), RendererSpec::Type::Command, u"chatty"_s);
    request.spec.command.argv = {u"yes"_s};
    request.limits.maxOutputBytes = 1024 * 1024;
    const Result<RenderResult> result = renderManifests(request);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, Error::Code::TooLarge);
    EXPECT_TRUE(result.error().message.contains("more than 1 MiB"_L1))
        << result.error().message.toStdString();
}

TEST(KustomizeRendererTest, KustomizeIsPreferredOverKubectlWhenBothAreOnPath) {
    QTemporaryDir dir;
    QTemporaryDir bin;
    ASSERT_TRUE(test::writeFile(dir.path(), u"kustomization.yaml"_s, "resources: []\n"));
    ASSERT_TRUE(test::writeFile(
        bin.path(), u"kustomize"_s,
        "#!/bin/sh\necho \"$@\" > \"$(dirname \"$0\")/args.txt\"\n"
        "printf 'apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: from-kustomize\\n'\n"));
    QFile::setPermissions(QDir(bin.path()).filePath(u"kustomize"_s),
                          QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    test::ScopedEnvironment path("PATH", bin.path().toLocal8Bit() + ':' + qgetenv("PATH"));
    const Result<RenderResult> result =
        renderManifests(test::requestFor(dir.path(), RendererSpec::Type::Kustomize, u"k"_s));
    ASSERT_TRUE(result.ok()) << result.error().toString().toStdString();
    ASSERT_EQ(result->objects.size(), 1);
    EXPECT_EQ(result->objects.first().key.name, u"from-kustomize"_s);
    EXPECT_EQ(QString::fromUtf8(test::readFile(QDir(bin.path()).filePath(u"args.txt"_s))).trimmed(),
              u"build "_s + dir.path());
}

// A description is text from the workspace (app names, paths): a "%1" in it must come out as
// written, not be filled in by the next .arg() of the message.
TEST(ToolProcessTest, PercentSignsInTheDescriptionAreNotSubstituted) {
    ToolInvocation failing;
    failing.program = shell();
    failing.arguments = {u"-c"_s, u"exit 3"_s};
    failing.description = u"command for app 'web%1' (path apps/%2x)"_s;
    const Result<QByteArray> failed = runTool(failing);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(
        failed.error().message,
        u"command for app 'web%1' (path apps/%2x) failed with exit code 3; see the details for its output"_s);

    ToolInvocation chatty = failing;
    chatty.program = u"yes"_s;
    chatty.arguments = {};
    chatty.maxOutputBytes = 1024 * 1024;
    const Result<QByteArray> tooLarge = runTool(chatty);
    ASSERT_FALSE(tooLarge.ok());
    EXPECT_EQ(tooLarge.error().message,
              u"command for app 'web%1' (path apps/%2x) printed more than 1 MiB and was stopped"_s);

    ToolInvocation slow = failing;
    slow.arguments = {u"-c"_s, u"sleep 30"_s};
    slow.timeout = std::chrono::seconds(1);
    const Result<QByteArray> timedOut = runTool(slow);
    ASSERT_FALSE(timedOut.ok());
    EXPECT_TRUE(timedOut.error().message.startsWith(
        u"command for app 'web%1' (path apps/%2x) did not finish within 1 s"_s))
        << timedOut.error().message.toStdString();
}
