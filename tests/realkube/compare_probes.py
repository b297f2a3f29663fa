"""The requests compare.py sends to both servers: what Driftdeck (discovery, list, watch, server-side
apply, dry run, merge patch, delete) and kubectl (apply, get, diff, create) send. Each probe runs
its setup, then its request, on each server in turn; `json` compares the normalized answers,
`stderr` the error text, `only` limits the comparison to some paths."""

NS = "probe"
CM = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n  namespace: probe\ndata:\n  a: '1'\n"
DEPLOY = """apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: probe, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
"""
SERVICE = """apiVersion: v1
kind: Service
metadata: {name: web, namespace: probe}
spec:
  selector: {app: web}
  ports: [{port: 80}]
"""
CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""
SSA = ["apply", "--server-side", "-f", "-", "-o", "json"]


def ns_setup():
    return [{"args": ["create", "namespace", NS]}]


PROBES = [
    {"name": "namespace defaults", "setup": ns_setup(), "args": ["get", "namespace", NS, "-o", "json"],
     "json": True},
    {"name": "discovery /api", "args": ["get", "--raw", "/api"], "json": True},
    {"name": "discovery /api/v1 configmaps, namespaces, pods, services",
     "args": ["get", "--raw", "/api/v1"], "json": True, "only": [".kind", ".groupVersion"]},
    {"name": "discovery /apis/apps/v1", "args": ["get", "--raw", "/apis/apps/v1"], "json": True},
    {"name": "version", "args": ["get", "--raw", "/version"], "json": True},
    {"name": "server-side apply of a ConfigMap (managedFields)", "args": SSA, "stdin": CM, "json": True},
    {"name": "server-side apply dry run of a changed ConfigMap",
     "args": ["apply", "--server-side", "--dry-run=server", "-f", "-", "-o", "json"],
     "stdin": CM.replace("'1'", "'2'"), "json": True},
    {"name": "merge patch", "args": ["patch", "configmap", "cm", "-n", NS, "--type=merge", "-p",
                                     '{"data":{"b":"2"}}', "-o", "json"], "json": True},
    {"name": "server-side apply of a Deployment (defaults)", "args": SSA, "stdin": DEPLOY, "json": True},
    {"name": "Deployment after the controllers ran",
     "wait": {"args": ["get", "deploy", "web", "-n", NS, "-o", "jsonpath={.status.readyReplicas}"],
              "until": "2"},
     "args": ["get", "deploy", "web", "-n", NS, "-o", "json"], "json": True},
    {"name": "ReplicaSet made by the Deployment controller",
     "args": ["get", "rs", "-n", NS, "-l", "app=web", "-o", "json"], "json": True},
    {"name": "Pod made by the ReplicaSet controller",
     "args": ["get", "pods", "-n", NS, "-l", "app=web", "-o", "json"], "json": True,
     "only": [".items[0].metadata", ".items[0].spec", ".items[0].status.phase",
              ".items[0].status.conditions"]},
    {"name": "Service defaults", "args": SSA, "stdin": SERVICE, "json": True},
    {"name": "new namespace holds kube-root-ca.crt and the default ServiceAccount",
     "args": ["get", "configmaps,serviceaccounts", "-n", NS, "-o", "name"], "text": True},
    {"name": "get of a missing object", "args": ["get", "configmap", "nope", "-n", NS],
     "stderr": True},
    {"name": "raw 404 Status", "args": ["get", "--raw", f"/api/v1/namespaces/{NS}/configmaps/nope"],
     "stderr": True},
    {"name": "server-side apply conflict",
     "args": ["apply", "--server-side", "--field-manager", "other", "-f", "-"],
     "stdin": CM.replace("'1'", "'9'"), "stderr": True},
    {"name": "strict field validation",
     "args": ["apply", "-f", "-"], "stdin": SERVICE.replace("name: web", "name: s2").replace(
         "spec:\n", "spec:\n  foo: 1\n"), "stderr": True},
    {"name": "missing required field", "args": ["apply", "--server-side", "-f", "-"],
     "stdin": DEPLOY.replace("name: web, namespace", "name: bad, namespace").replace(
         "  selector: {matchLabels: {app: web}}\n", ""), "stderr": True},
    {"name": "viewer may not write", "args": ["--context", "@viewer", "create", "configmap", "x", "-n", NS],
     "stderr": True},
    {"name": "viewer may read", "args": ["--context", "@viewer", "get", "configmaps", "-n", NS, "-o", "name"],
     "text": True},
    {"name": "list with limit (paging)",
     "args": ["get", "--raw", f"/api/v1/namespaces/{NS}/configmaps?limit=1"], "json": True,
     "only": [".kind", ".apiVersion", ".metadata"]},
    {"name": "watch from resourceVersion 0 (initial events)",
     "args": ["get", "--raw",
              f"/api/v1/namespaces/{NS}/configmaps?watch=1&resourceVersion=0&timeoutSeconds=1"],
     "events": True, "stderr": True},
    {"name": "watch from a compacted resourceVersion",
     "args": ["get", "--raw", f"/api/v1/namespaces/{NS}/configmaps?watch=1&resourceVersion=1&timeoutSeconds=1"],
     "events": True, "stderr": True},
    {"name": "table output of kubectl get", "args": ["get", "configmaps", "-n", NS], "text": True},
    {"name": "CRD then custom resource", "setup": [{"args": ["apply", "--server-side", "-f", "-"], "stdin": CRD},
                                                   {"args": ["wait", "--for=condition=Established",
                                                             "crd/widgets.example.com"]}],
     "args": SSA, "stdin": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: probe}\n"
                           "spec: {size: 3}\n", "json": True},
    {"name": "foreground delete of the Deployment",
     "args": ["delete", "deploy", "web", "-n", NS, "--cascade=foreground", "--wait=false", "-o", "name"],
     "text": True},
]
