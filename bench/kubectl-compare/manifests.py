#!/usr/bin/env python3
"""Writes N manifests (Deployments, Services, ConfigMaps, Secrets in turn, shaped like the corpus),
one file each, without a namespace: `manifests.py N DIR`."""
import os
import sys

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
    app.kubernetes.io/part-of: bench
spec:
  replicas: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      containers:
      - name: app
        image: registry.example.com/bench:1.4.2
        args: ["--port=8080", "--log-level=info"]
        ports:
        - containerPort: 8080
          name: http
        env:
        - name: MODE
          value: production
        - name: WORKERS
          value: "4"
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
          limits: {{cpu: 500m, memory: 256Mi}}
        readinessProbe:
          httpGet: {{path: /healthz, port: 8080}}
          periodSeconds: 10
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
spec:
  selector:
    app.kubernetes.io/name: {name}
  ports:
  - name: http
    port: 80
    targetPort: 8080
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
data:
  level: info
  config.yaml: |
    server:
      port: 8080
      timeout: 30s
"""
SECRET = """apiVersion: v1
kind: Secret
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
type: Opaque
data:
  password: YmVuY2htYXJr
"""


def main():
    count, directory = int(sys.argv[1]), sys.argv[2]
    if not 1 <= count <= 100000:
        sys.exit("count must be 1..100000")
    os.makedirs(directory, exist_ok=True)
    templates = [DEPLOYMENT, SERVICE, CONFIGMAP, SECRET]
    for i in range(count):
        with open(os.path.join(directory, "r%05d.yaml" % i), "w", encoding="utf-8") as out:
            out.write(templates[i % 4].format(name="r%05d" % i))


if __name__ == "__main__":
    main()
