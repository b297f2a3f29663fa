#pragma once

#include <QMetaType>
#include <QString>

#include <utility>
#include <variant>

namespace driftdeck {

// Errors are values: they cross threads and library boundaries instead of exceptions.
// `message` is one line for the operator (what failed and what to do); `detail` may hold
// more (a tool's stderr, a server's causes). Neither may ever contain a credential.
struct Error {
    enum class Code {
        Invalid,      // bad input: malformed YAML, bad flag, bad kubeconfig
        NotFound,     // file, path, object, revision missing
        Conflict,     // 409-like: someone else owns or changed it
        Unauthorized, // 401
        Forbidden,    // 403
        Unavailable,  // network, TLS, timeouts, 5xx, 429 after retries
        Cancelled,    // the operator or a newer job cancelled it
        TooLarge,     // size or count limits
        External,     // an external tool (kustomize, helm, git) failed
        Internal,     // a bug: should never be seen
    };

    // Where it happened, filled in by the layer that knows: the kube client names the cluster, the
    // HTTP status and whether a retry may help; the engine adds the application and the object.
    struct Context {
        QString cluster;
        QString application;
        QString object; // ResourceKey::toString() form
        int httpStatus = 0;
        bool retryable = false; // a later attempt may succeed (timeouts, 429, 5xx, lost connections)
        bool operator==(const Context&) const = default;
    };

    Code code = Code::Internal;
    QString message;
    QString detail;
    Context context;

    static Error make(Code code, QString message, QString detail = {}) {
        Error error;
        error.code = code;
        error.message = std::move(message);
        error.detail = std::move(detail);
        error.context.retryable = code == Code::Unavailable;
        return error;
    }
    Error withCluster(QString cluster) const {
        Error e = *this;
        e.context.cluster = std::move(cluster);
        return e;
    }
    Error withApplication(QString application) const {
        Error e = *this;
        e.context.application = std::move(application);
        return e;
    }
    Error withObject(QString object) const {
        Error e = *this;
        e.context.object = std::move(object);
        return e;
    }
    QString toString() const;
    static QString codeName(Code code);
};

// A value or an Error. Deliberately small: C++20 has no std::expected.
template <typename T>
class Result {
public:
    Result(T value)
        : m_data(std::in_place_index<0>, std::move(value)) {}
    Result(Error error)
        : m_data(std::in_place_index<1>, std::move(error)) {}

    bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    const T& value() const& { return std::get<0>(m_data); }
    T& value() & { return std::get<0>(m_data); }
    T&& value() && { return std::get<0>(std::move(m_data)); }
    const T& operator*() const& { return value(); }
    T& operator*() & { return value(); }
    const T* operator->() const { return &value(); }
    T* operator->() { return &value(); }

    const Error& error() const { return std::get<1>(m_data); }

private:
    std::variant<T, Error> m_data;
};

// For operations that return nothing on success.
struct Done {};
using Status = Result<Done>;
inline Status success() {
    return Done{};
}

} // namespace driftdeck

Q_DECLARE_METATYPE(driftdeck::Error)
