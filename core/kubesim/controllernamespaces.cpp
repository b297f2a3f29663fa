// What kube-controller-manager's root-ca-cert-publisher and serviceaccount controllers do: every
// active namespace holds the ConfigMap kube-root-ca.crt (the cluster's CA) and the ServiceAccount
// `default`, and gets them back when they are deleted. Listing a namespace therefore shows them, as
// on a real cluster, and tools that compare live with desired state must expect them.
#include "kubesim/controller.h"
#include "kubesim/controllersupport.h"

namespace driftdeck::kubesim {

using namespace controllers;

void ClusterControllers::reconcileNamespace(const QString& name) {
    const auto nsType = typeOf(m_store, {}, QStringLiteral("Namespace"));
    const auto ns = nsType ? m_store.get(*nsType, {}, name) : std::nullopt;
    if (!ns || isDeleting(*ns))
        return;
    WriteOptions asController;
    asController.fieldManager = kControllerManager;
    const auto configMaps = typeOf(m_store, {}, QStringLiteral("ConfigMap"));
    const QString rootCa = QStringLiteral("kube-root-ca.crt");
    if (configMaps && !m_options.rootCaCertificate.isEmpty() && !m_store.get(*configMaps, name, rootCa)) {
        m_store.create(
            *configMaps,
            QJsonObject{
                {QStringLiteral("apiVersion"), QStringLiteral("v1")},
                {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                {QStringLiteral("metadata"),
                 QJsonObject{
                     {QStringLiteral("name"), rootCa},
                     {QStringLiteral("namespace"), name},
                     {QStringLiteral("annotations"),
                      QJsonObject{{QStringLiteral("kubernetes.io/description"),
                                   QStringLiteral("Contains a CA bundle that can be used to verify the "
                                                  "kube-apiserver when using internal endpoints such as "
                                                  "the internal service IP or "
                                                  "kubernetes.default.svc. No other usage is guaranteed "
                                                  "across distributions of Kubernetes clusters.")}}}}},
                {QStringLiteral("data"),
                 QJsonObject{{QStringLiteral("ca.crt"), QString::fromLatin1(m_options.rootCaCertificate)}}}},
            asController);
    }
    const auto accounts = typeOf(m_store, {}, QStringLiteral("ServiceAccount"));
    const QString account = QStringLiteral("default");
    if (accounts && !m_store.get(*accounts, name, account)) {
        m_store.create(
            *accounts,
            QJsonObject{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                        {QStringLiteral("kind"), QStringLiteral("ServiceAccount")},
                        {QStringLiteral("metadata"), QJsonObject{{QStringLiteral("name"), account},
                                                                 {QStringLiteral("namespace"), name}}}},
            asController);
    }
}

} // namespace driftdeck::kubesim
