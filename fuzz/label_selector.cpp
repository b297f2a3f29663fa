// ?labelSelector= and ?fieldSelector= parsing, and matching what parses against a few label sets.

#include "fuzzsupport.h"
#include "kubesim/labelselector.h"

#include <QJsonObject>

using namespace driftdeck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString text = QString::fromUtf8(fuzz::bytes(data, size));
    static const QList<QJsonObject> labelSets = {
        QJsonObject(),
        QJsonObject{{QStringLiteral("app"), QStringLiteral("web")},
                    {QStringLiteral("tier"), QStringLiteral("front")}},
        QJsonObject{{QStringLiteral("app.kubernetes.io/name"), QStringLiteral("x")},
                    {QStringLiteral("env"), QString()}},
    };
    const auto labels = kubesim::LabelSelector::parse(text);
    if (const auto* selector = std::get_if<kubesim::LabelSelector>(&labels)) {
        for (const QJsonObject& set : labelSets)
            (void)selector->matches(set);
    }
    const auto fields = kubesim::FieldSelector::parse(text);
    if (const auto* selector = std::get_if<kubesim::FieldSelector>(&fields)) {
        const QJsonObject object{{QStringLiteral("metadata"),
                                  QJsonObject{{QStringLiteral("name"), QStringLiteral("web")},
                                              {QStringLiteral("namespace"), QStringLiteral("default")}}}};
        (void)selector->matches(object);
    }
    return 0;
}
