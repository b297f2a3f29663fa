#pragma once

// A small Qt HTTP client for the server tests: talks to a SimulatedCluster on loopback as `admin`
// (client certificate), `viewer` (token) or nobody, and waits for answers with a bounded event loop.

#include "kubesim/simulatedcluster.h"
#include "testsupport.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSslConfiguration>
#include <QSslKey>

#include <memory>

namespace driftdeck::kubesim::test {

enum class As { Admin, Viewer, Anonymous, BadToken };

struct Reply {
    int status = 0;
    QByteArray body;
    QJsonObject json;
    QList<QNetworkReply::RawHeaderPair> headers;
    QByteArray header(const QByteArray& name) const {
        for (const auto& [key, value] : headers) {
            if (key.compare(name, Qt::CaseInsensitive) == 0)
                return value;
        }
        return {};
    }
};

class ServerClient {
public:
    explicit ServerClient(const SimulatedCluster& cluster)
        : m_cluster(cluster) {
        m_tls = QSslConfiguration::defaultConfiguration();
        m_tls.setCaCertificates(QSslCertificate::fromData(m_cluster.certificates().caCertificate));
        m_adminTls = m_tls;
        m_adminTls.setLocalCertificate(QSslCertificate(m_cluster.certificates().adminCertificate));
        m_adminTls.setPrivateKey(QSslKey(m_cluster.certificates().adminKey, QSsl::Ec));
    }

    QNetworkRequest request(const QString& pathAndQuery, As as = As::Admin) const {
        QUrl url = m_cluster.serverUrl();
        const qsizetype q = pathAndQuery.indexOf(QLatin1Char('?'));
        url.setPath(q < 0 ? pathAndQuery : pathAndQuery.left(q));
        if (q >= 0)
            url.setQuery(pathAndQuery.mid(q + 1));
        QNetworkRequest req(url);
        const QSslConfiguration& tls = as == As::Admin ? m_adminTls : m_tls;
        if (as == As::Viewer) {
            req.setRawHeader("Authorization", "Bearer " + m_cluster.viewerToken());
        } else if (as == As::BadToken) {
            req.setRawHeader("Authorization", "Bearer not-the-token");
        }
        req.setSslConfiguration(tls);
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        req.setRawHeader("Accept", "application/json");
        return req;
    }

    Reply send(const QByteArray& method, const QString& path, const QByteArray& body = {}, As as = As::Admin,
               const QByteArray& contentType = "application/json") {
        QNetworkRequest req = request(path, as);
        if (!body.isEmpty() || method == "POST" || method == "PUT" || method == "PATCH")
            req.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
        QNetworkReply* reply = m_nam.sendCustomRequest(req, method, body);
        driftdeck::test::waitUntil([reply]() { return reply->isFinished(); }, std::chrono::seconds(15));
        Reply out;
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        out.json = QJsonDocument::fromJson(out.body).object();
        out.headers = reply->rawHeaderPairs();
        reply->deleteLater();
        return out;
    }

    Reply get(const QString& path, As as = As::Admin) { return send("GET", path, {}, as); }
    Reply post(const QString& path, const QJsonObject& body, As as = As::Admin) {
        return send("POST", path, QJsonDocument(body).toJson(QJsonDocument::Compact), as);
    }
    Reply put(const QString& path, const QJsonObject& body) {
        return send("PUT", path, QJsonDocument(body).toJson(QJsonDocument::Compact));
    }

    // A watch: lines arrive in `events` as the server streams them.
    struct Watch {
        QNetworkReply* reply = nullptr;
        QList<QJsonObject> events;
        QByteArray pending;
    };
    std::unique_ptr<Watch> watch(const QString& path) {
        auto w = std::make_unique<Watch>();
        w->reply = m_nam.get(request(path));
        Watch* raw = w.get();
        QObject::connect(w->reply, &QNetworkReply::readyRead, w->reply, [raw]() {
            raw->pending += raw->reply->readAll();
            qsizetype nl;
            while ((nl = raw->pending.indexOf('\n')) >= 0) {
                raw->events.append(QJsonDocument::fromJson(raw->pending.left(nl)).object());
                raw->pending.remove(0, nl + 1);
            }
        });
        return w;
    }

    QNetworkAccessManager& nam() { return m_nam; }

private:
    const SimulatedCluster& m_cluster;
    QSslConfiguration m_tls;      // trusts the cluster's CA
    QSslConfiguration m_adminTls; // and presents the admin certificate
    QNetworkAccessManager m_nam;
};

// The API server alone, as kube-apiserver without kube-controller-manager: no workload controllers,
// no garbage collector, no kube-root-ca.crt ConfigMap appearing in the namespaces the tests list.
inline ClusterOptions bareApiServer() {
    ClusterOptions options;
    options.runControllers = false;
    return options;
}

inline QJsonObject configMap(const QString& name, const QJsonObject& labels = {},
                             const QJsonObject& data = {}) {
    QJsonObject meta{{QStringLiteral("name"), name}};
    if (!labels.isEmpty())
        meta.insert(QStringLiteral("labels"), labels);
    QJsonObject cm{{QStringLiteral("apiVersion"), QStringLiteral("v1")},
                   {QStringLiteral("kind"), QStringLiteral("ConfigMap")},
                   {QStringLiteral("metadata"), meta}};
    if (!data.isEmpty())
        cm.insert(QStringLiteral("data"), data);
    return cm;
}

} // namespace driftdeck::kubesim::test
