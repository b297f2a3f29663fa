#!/usr/bin/env bash
# Side by side on one kubesim API server and the same manifests (default 500 objects):
#   driftdeck-cli diff  vs  kubectl diff --server-side   (warm: a run each first, then the median of 3)
#   driftdeck-cli sync  vs  kubectl apply --server-side  (fresh namespaces; a warm-up run first)
# Prints one JSON object. Usage: compare.sh BUILD_DIR [OBJECTS] [kubesim|realkube]. Loopback only;
# everything under a temporary directory; the server is stopped on exit. With realkube the same runs
# go to a throwaway real control plane (tests/realkube/launch.sh; build.sh must have built it).
set -euo pipefail
BUILD=$(realpath "${1:?usage: compare.sh BUILD_DIR [OBJECTS] [kubesim|realkube]}")
OBJECTS=${2:-500}
BACKEND=${3:-kubesim}
HERE=$(cd "$(dirname "$0")" && pwd)
if [[ $BACKEND == realkube && -z ${DRIFTDECK_COMPARE_IN_REALKUBE:-} ]]; then
    # Again inside the control plane's network, with its kubeconfig (context "bench").
    # Enough kwok Nodes for every Pod (kwok's Nodes take 110 Pods each): four namespaces of the
    # manifests' Deployments must all become Available.
    DRIFTDECK_COMPARE_IN_REALKUBE=1 exec "$HERE/../../tests/realkube/launch.sh" run --name bench --nodes 12 -- \
        "$0" "$BUILD" "$OBJECTS" realkube
fi
[[ $BACKEND == kubesim || $BACKEND == realkube ]] || { echo "compare.sh: backend kubesim or realkube" >&2; exit 2; }
GIVEN_KUBECONFIG=${KUBECONFIG:-}
T=$(mktemp -d /tmp/driftdeck-bench-kubectl-XXXXXX)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$T"
}
trap cleanup EXIT
export HOME=$T/home XDG_CACHE_HOME=$T/cache XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data
export GIT_CONFIG_NOSYSTEM=1 GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$HOME"
export KUBECONFIG=$T/kubeconfig
CLI=$BUILD/app/driftdeck-cli

if [[ $BACKEND == realkube ]]; then
    cp "$GIVEN_KUBECONFIG" "$KUBECONFIG"
    kubectl config use-context bench >/dev/null
else
    "$BUILD/app/kubesim" --cluster-names bench --kubeconfig-out "$KUBECONFIG" >"$T/kubesim.log" 2>&1 &
    SERVER_PID=$!
fi
for _ in $(seq 1 300); do
    [[ -s $KUBECONFIG ]] && kubectl get --raw /version >/dev/null 2>&1 && break
    sleep 0.1
done
kubectl get --raw /version >/dev/null

python3 "$HERE/manifests.py" "$OBJECTS" "$T/repo/apps/cmp"
git -C "$T/repo" init -q -b main && git -C "$T/repo" add -A && git -C "$T/repo" commit -q -m manifests
cat >"$T/workspace.yaml" <<YAML
apiVersion: driftdeck.io/v1alpha1
kind: Workspace
clusters:
  - name: bench
repositories:
  - name: bench
    url: file://$T/repo
    branch: main
applications:
  - {name: cmp-diff, repo: bench, path: apps/cmp, cluster: bench, namespace: cmp-diff}
  - {name: cmp-sync-0, repo: bench, path: apps/cmp, cluster: bench, namespace: dd-0}
  - {name: cmp-sync-1, repo: bench, path: apps/cmp, cluster: bench, namespace: dd-1}
YAML
for ns in cmp-diff dd-0 dd-1 kc-0 kc-1; do kubectl create namespace "$ns" >/dev/null; done
WS=(--workspace "$T/workspace.yaml" --kubeconfig "$KUBECONFIG" --timeout 300)

# Milliseconds of one run of "$@" (output dropped; exit codes 0 and 1 accepted: diff says "differs").
ms() {
    local start end rc=0
    start=$(date +%s%N)
    timeout 600 "$@" >"$T/last.out" 2>"$T/last.err" || rc=$?
    end=$(date +%s%N)
    if ((rc > 1)); then
        cp "$T/last.out" "${TMPDIR:-/tmp}/driftdeck-compare-failed.out" 2>/dev/null || true
        echo "compare.sh: '$*' exited $rc: $(head -c 600 "$T/last.err") $(tail -c 1500 "$T/last.out")" >&2
        exit 1
    fi
    echo $(((end - start) / 1000000))
}

# The diff namespace holds the objects as Driftdeck synced them, then 1 in 50 ConfigMaps is edited.
ms "$CLI" sync "${WS[@]}" --app cmp-diff >/dev/null
edited=0
for ((i = 2; i < OBJECTS; i += 200)); do
    kubectl -n cmp-diff patch configmap "$(printf 'r%05d' "$i")" --type merge -p '{"data":{"level":"debug"}}' >/dev/null
    edited=$((edited + 1))
done
# Warm: one untimed run each, then the median of three (the machine is shared).
median3() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
KDIFF=(kubectl diff --server-side --force-conflicts -n cmp-diff -f "$T/repo/apps/cmp")
DDIFF=("$CLI" diff "${WS[@]}" --app cmp-diff -o json)
ms "${KDIFF[@]}" >/dev/null
ms "${DDIFF[@]}" >/dev/null
k=() d=()
for _ in 1 2 3; do
    k+=("$(ms "${KDIFF[@]}")")
    kubectl_diff_objects=$(grep -c '^diff -u' "$T/last.out" || true)
    d+=("$(ms "${DDIFF[@]}")")
    driftdeck_diff_bytes=$(wc -c <"$T/last.out")
done
kubectl_diff_ms=$(median3 "${k[@]}")
driftdeck_diff_ms=$(median3 "${d[@]}")

# Sync into fresh namespaces: a warm-up (namespace 0), then the timed run (namespace 1).
ms kubectl apply --server-side -n kc-0 -f "$T/repo/apps/cmp" >/dev/null
kubectl_apply_ms=$(ms kubectl apply --server-side -n kc-1 -f "$T/repo/apps/cmp")
# kubectl does not wait for the Deployments; Driftdeck's sync does (health between waves).
kubectl_wait_ms=$(ms kubectl wait --for=condition=Available deployment --all -n kc-1 --timeout=300s)
ms "$CLI" sync "${WS[@]}" --app cmp-sync-0 >/dev/null
driftdeck_sync_ms=$(ms "$CLI" sync "${WS[@]}" --app cmp-sync-1)
synced=$(kubectl get configmaps,secrets,services,deployments -n dd-1 --no-headers 2>/dev/null | grep -vc kube-root-ca || true)
applied=$(kubectl get configmaps,secrets,services,deployments -n kc-1 --no-headers 2>/dev/null | grep -vc kube-root-ca || true)

python3 - "$@" <<PY
import json
f = dict(backend="$BACKEND", objects=$OBJECTS, edited_configmaps=$edited,
         kubectl_diff_ms=$kubectl_diff_ms, kubectl_diff_objects_reported=$kubectl_diff_objects,
         driftdeck_diff_ms=$driftdeck_diff_ms, driftdeck_diff_json_bytes=$driftdeck_diff_bytes,
         kubectl_apply_ms=$kubectl_apply_ms, kubectl_wait_available_ms=$kubectl_wait_ms,
         driftdeck_sync_ms=$driftdeck_sync_ms, objects_in_driftdeck_ns=$synced, objects_in_kubectl_ns=$applied)
f["diff_speedup"] = round(f["kubectl_diff_ms"] / f["driftdeck_diff_ms"], 2)
f["sync_speedup_vs_apply"] = round(f["kubectl_apply_ms"] / f["driftdeck_sync_ms"], 2)
f["sync_speedup_vs_apply_and_wait"] = round((f["kubectl_apply_ms"] + f["kubectl_wait_available_ms"]) / f["driftdeck_sync_ms"], 2)
print(json.dumps(f))
PY
