#pragma once

#include "diff/secretmask.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <memory>

namespace driftdeck::diff {

// An ignoreDifferences rule, as Argo CD users know it: for objects of a group and kind (and
// optionally one name/namespace), differences at these JSON pointers, or in fields these field
// managers own live, are not drift.
struct IgnoreRule {
    QString group;                     // "" for the core group; "*" for any
    QString kind;                      // "*" for any
    QString name;                      // empty: every object
    QString ns;                        // empty: every namespace
    QStringList jsonPointers;          // "/spec/replicas"
    QStringList managedFieldsManagers; // "kube-controller-manager"

    bool matches(const QString& objGroup, const QString& objKind, const QString& objNs,
                 const QString& objName) const;
};

struct DiffOptions {
    // Field managers whose fields this application owns: a field one of them applied that desired
    // state no longer sets is drift (sync would remove it). Our own manager comes first; an
    // application may name those of the tool it replaces (argocd-controller, kustomize-controller).
    QStringList managers{QStringLiteral("driftdeck")};
    QList<IgnoreRule> ignore;
    // Shared so all objects of one comparison hash Secret values with the same key.
    std::shared_ptr<const SecretMasker> masker = std::make_shared<SecretMasker>();
};

} // namespace driftdeck::diff
