#pragma once

// Every demo test runs with HOME, the XDG directories and KUBECONFIG pointed into one temporary
// directory, so nothing the user owns can be read or written.

#include "model/error.h"

#include <QString>
#include <QStringList>

#include <gtest/gtest.h>

namespace driftdeck::test {

// The fake home directory (created on first use; the environment is switched then).
QString demoTestHome();

// The message of a failed Result/Status, for assertion output.
template <typename R>
std::string whyNot(const R& result) {
    return result.ok() ? std::string() : result.error().toString().toStdString();
}

// git with the given --git-dir; records a failure on a non-zero exit and returns trimmed stdout.
QString gitIn(const QString& gitDir, const QStringList& args);

} // namespace driftdeck::test
