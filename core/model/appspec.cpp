#include "model/appspec.h"

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

} // namespace driftdeck
