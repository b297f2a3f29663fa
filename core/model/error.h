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

    Code code = Code::Internal;
    QString message;
    QString detail;

    static Error make(Code code, QString message, QString detail = {}) {
        return Error{code, std::move(message), std::move(detail)};
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
