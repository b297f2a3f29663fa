#include "model/appspec.h"

#include <QDir>
#include <QRegularExpression>

namespace driftdeck {

using namespace Qt::StringLiterals;

QString CredentialsRef::typeName(Type type) {
    switch (type) {
    case Type::None:
        return u"none"_s;
    case Type::Token:
        return u"token"_s;
    case Type::SshAgent:
        return u"ssh-agent"_s;
    case Type::SshKey:
        return u"ssh-key"_s;
    case Type::Helper:
        return u"helper"_s;
    }
    return {};
}

std::optional<CredentialsRef::Type> CredentialsRef::parseType(const QString& name) {
    for (Type type : {Type::None, Type::Token, Type::SshAgent, Type::SshKey, Type::Helper}) {
        if (typeName(type) == name)
            return type;
    }
    return std::nullopt;
}

QString RendererSpec::typeName(Type type) {
    switch (type) {
    case Type::Auto:
        return u"auto"_s;
    case Type::Plain:
        return u"plain"_s;
    case Type::Kustomize:
        return u"kustomize"_s;
    case Type::Helm:
        return u"helm"_s;
    case Type::Command:
        return u"command"_s;
    }
    return {};
}

std::optional<RendererSpec::Type> RendererSpec::parseType(const QString& name) {
    for (Type type : {Type::Auto, Type::Plain, Type::Kustomize, Type::Helm, Type::Command}) {
        if (typeName(type) == name)
            return type;
    }
    return std::nullopt;
}

QString expandHomePath(const QString& path) {
    if (path == u'~')
        return QDir::homePath();
    if (path.startsWith("~/"_L1))
        return QDir::homePath() + path.mid(1);
    return path;
}

bool helmcheck::isValidReleaseName(const QString& name) {
    static const QRegularExpression subdomain(
        u"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"_s);
    return !name.isEmpty() && name.size() <= 53 && subdomain.match(name).hasMatch();
}

QString helmcheck::valueFileProblem(const QString& file, const QString& appPath) {
    if (file.isEmpty())
        return u"a value file name is empty"_s;
    if (file.contains(QChar(0)) || file.contains(u'\n'))
        return u"value file names cannot contain control characters"_s;
    if (file.startsWith(u'-'))
        return u"value file '%1' starts with '-'"_s.arg(file);
    // helm fetches http(s), oci and plugin-defined schemes; none of those is in the repository
    static const QRegularExpression scheme(u"^[A-Za-z][A-Za-z0-9+.-]*:"_s);
    if (scheme.match(file).hasMatch())
        return u"value file '%1' is a URL; value files must be files of the repository"_s.arg(file);
    if (QDir::isAbsolutePath(file) || file.startsWith(u'~'))
        return u"value file '%1' is an absolute path; use a path relative to the application"_s.arg(file);
    const QString base = appPath.isEmpty() ? u"."_s : appPath;
    const QString resolved = QDir::cleanPath(base + u'/' + file);
    if (resolved == ".."_L1 || resolved.startsWith("../"_L1) || QDir::isAbsolutePath(resolved))
        return u"value file '%1' is outside the repository"_s.arg(file);
    return {};
}

} // namespace driftdeck
