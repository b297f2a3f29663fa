// Service cluster IP and node port allocation, as a real API server's registry does it.

#include "kubesim/semantics.h"

#include <QJsonArray>
#include <QJsonObject>

namespace driftdeck::kubesim {
namespace {

constexpr quint32 kServiceNetwork = (10u << 24) | (96u << 16); // 10.96.0.0/12
constexpr quint32 kServiceNetworkSize = 1u << 20;
constexpr int kNodePortMin = 30000;
constexpr int kNodePortMax = 32767;

QString ipString(quint32 ip) {
    return QStringLiteral("%1.%2.%3.%4")
        .arg(ip >> 24)
        .arg((ip >> 16) & 0xff)
        .arg((ip >> 8) & 0xff)
        .arg(ip & 0xff);
}

std::optional<quint32> parseIp(const QString& text) {
    const QStringList parts = text.split(QLatin1Char('.'));
    if (parts.size() != 4)
        return std::nullopt;
    quint32 ip = 0;
    for (const QString& part : parts) {
        bool ok = false;
        const uint octet = part.toUInt(&ok);
        if (!ok || octet > 255)
            return std::nullopt;
        ip = (ip << 8) | octet;
    }
    return ip;
}

ApiError invalidService(const QJsonObject& service, const QString& field, const QString& value,
                        const QString& why) {
    const QString name =
        service.value(QLatin1String("metadata")).toObject().value(QLatin1String("name")).toString();
    const QString detail = QStringLiteral("Invalid value: %1: %2").arg(value, why);
    QJsonObject details{
        {QStringLiteral("name"), name},
        {QStringLiteral("kind"), QStringLiteral("Service")},
        {QStringLiteral("causes"),
         QJsonArray{QJsonObject{{QStringLiteral("reason"), QStringLiteral("FieldValueInvalid")},
                                {QStringLiteral("message"), detail},
                                {QStringLiteral("field"), field}}}}};
    return ApiError{422, QStringLiteral("Invalid"),
                    QStringLiteral("Service \"%1\" is invalid: %2: %3").arg(name, field, detail), details};
}

QSet<int> nodePortsOf(const QJsonObject& service) {
    QSet<int> out;
    for (const QJsonValue& p :
         service.value(QLatin1String("spec")).toObject().value(QLatin1String("ports")).toArray())
        if (p.toObject().contains(QLatin1String("nodePort")))
            out.insert(p.toObject().value(QLatin1String("nodePort")).toInt());
    return out;
}

} // namespace

void ServiceAddressAllocator::reserveClusterIP(const QString& ip) {
    m_ips.insert(ip);
}

void ServiceAddressAllocator::reserveNodePort(int port) {
    m_ports.insert(port);
}

QString ServiceAddressAllocator::nextClusterIP() {
    for (quint32 tries = 0; tries < kServiceNetworkSize; ++tries) {
        const quint32 offset = m_nextIp;
        m_nextIp = m_nextIp + 1 >= kServiceNetworkSize - 1 ? 2 : m_nextIp + 1;
        const QString ip = ipString(kServiceNetwork + offset);
        if (!m_ips.contains(ip) && offset != 1) // .1 is the kubernetes Service's
            return ip;
    }
    return {};
}

int ServiceAddressAllocator::nextNodePort() {
    for (int tries = 0; tries <= kNodePortMax - kNodePortMin; ++tries) {
        const int port = m_nextPort;
        m_nextPort = m_nextPort >= kNodePortMax ? kNodePortMin : m_nextPort + 1;
        if (!m_ports.contains(port))
            return port;
    }
    return 0;
}

std::optional<ApiError> ServiceAddressAllocator::allocate(QJsonObject& service, const QJsonObject& previous) {
    QJsonObject spec = service.value(QLatin1String("spec")).toObject();
    const QString type = spec.value(QLatin1String("type")).toString(QStringLiteral("ClusterIP"));
    const QJsonObject previousSpec = previous.value(QLatin1String("spec")).toObject();
    const QString previousIp = previousSpec.value(QLatin1String("clusterIP")).toString();
    const QSet<int> previousPorts = nodePortsOf(previous);

    QString ip;
    bool newIp = false;
    if (type != QLatin1String("ExternalName")) {
        ip = spec.value(QLatin1String("clusterIP")).toString();
        if (ip.isEmpty() && !previousIp.isEmpty()) {
            ip = previousIp;
        } else if (ip.isEmpty()) {
            ip = nextClusterIP();
            if (ip.isEmpty())
                return invalidService(service, QStringLiteral("spec.clusterIPs"), QStringLiteral("[]"),
                                      QStringLiteral("failed to allocate IP: range is full"));
            newIp = true;
        } else if (ip != QLatin1String("None") && ip != previousIp) {
            const auto parsed = parseIp(ip);
            if (!parsed || *parsed < kServiceNetwork || *parsed >= kServiceNetwork + kServiceNetworkSize)
                return invalidService(
                    service, QStringLiteral("spec.clusterIPs"), QStringLiteral("[]string{\"%1\"}").arg(ip),
                    QStringLiteral("failed to allocate IP %1: the provided IP (%1) is not in the "
                                   "valid range. The range of valid IPs is 10.96.0.0/12")
                        .arg(ip));
            if (m_ips.contains(ip))
                return invalidService(
                    service, QStringLiteral("spec.clusterIPs"), QStringLiteral("[]string{\"%1\"}").arg(ip),
                    QStringLiteral("failed to allocate IP %1: provided IP is already allocated").arg(ip));
            newIp = true;
        }
    }

    QJsonArray ports = spec.value(QLatin1String("ports")).toArray();
    QSet<int> claimed;
    if (type == QLatin1String("NodePort") || type == QLatin1String("LoadBalancer")) {
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (p.contains(QLatin1String("nodePort"))) {
                const int port = p.value(QLatin1String("nodePort")).toInt();
                const QString field = QStringLiteral("spec.ports[%1].nodePort").arg(i);
                if (port < kNodePortMin || port > kNodePortMax)
                    return invalidService(
                        service, field, QString::number(port),
                        QStringLiteral("provided port is not in the valid range. The range of "
                                       "valid ports is 30000-32767"));
                if ((m_ports.contains(port) && !previousPorts.contains(port)) || claimed.contains(port))
                    return invalidService(service, field, QString::number(port),
                                          QStringLiteral("provided port is already allocated"));
                claimed.insert(port);
            }
        }
        for (qsizetype i = 0; i < ports.size(); ++i) {
            QJsonObject p = ports.at(i).toObject();
            if (p.contains(QLatin1String("nodePort")))
                continue;
            int port = 0;
            for (int tries = 0; tries <= kNodePortMax - kNodePortMin && port == 0; ++tries) {
                const int candidate = nextNodePort();
                if (!claimed.contains(candidate))
                    port = candidate;
            }
            if (port == 0)
                return invalidService(service, QStringLiteral("spec.ports[%1].nodePort").arg(i),
                                      QStringLiteral("0"), QStringLiteral("range is full"));
            claimed.insert(port);
            p.insert(QStringLiteral("nodePort"), port);
            ports.replace(i, p);
        }
        spec.insert(QStringLiteral("ports"), ports);
    }

    // Everything checked: commit.
    for (int port : previousPorts)
        if (!claimed.contains(port))
            m_ports.remove(port);
    m_ports.unite(claimed);
    if (!ip.isEmpty()) {
        if (newIp && ip != QLatin1String("None"))
            m_ips.insert(ip);
        spec.insert(QStringLiteral("clusterIP"), ip);
        spec.insert(QStringLiteral("clusterIPs"), QJsonArray{ip});
    }
    service.insert(QStringLiteral("spec"), spec);
    return std::nullopt;
}

void ServiceAddressAllocator::release(const QJsonObject& service) {
    const QJsonObject spec = service.value(QLatin1String("spec")).toObject();
    m_ips.remove(spec.value(QLatin1String("clusterIP")).toString());
    for (int port : nodePortsOf(service))
        m_ports.remove(port);
}

} // namespace driftdeck::kubesim
