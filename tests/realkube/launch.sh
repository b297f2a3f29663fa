#!/usr/bin/env bash
# Starts and stops a throwaway real Kubernetes control plane (etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kwok with fake Nodes) built by build.sh.
#
#   launch.sh start --dir DIR [--name NAME] [--nodes N] [--netns auto|yes|no] [--owner-pid PID|parent]
#   launch.sh stop  --dir DIR
#   launch.sh exec  --dir DIR -- COMMAND...     (in the cluster's network, KUBECONFIG set)
#   launch.sh run   [start options] -- COMMAND... (start in a temporary dir, run, stop)
#
# Every listener is on 127.0.0.1. When the machine allows it (root, `ip netns`), the whole
# control plane runs in its own network namespace that has only `lo`, so nothing it dials
# (Service IPs, fake Pod IPs) can leave the machine; then clients must run in that namespace
# too (`launch.sh exec`, or tests/realkube/run-test.sh). DIR/kubeconfig has the contexts
# NAME (client-certificate admin, group system:masters) and NAME-viewer (bearer token of the
# user `viewer`, bound to the ClusterRole `view`), like kubesim's kubeconfig.
# Components are stopped by the PIDs recorded in DIR/pids (in reverse start order). With
# --owner-pid, a watchdog stops the cluster when that process ends (a crashed test runner).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"
# shellcheck source=launch-lib.sh
source "$here/launch-lib.sh"

cmd=${1:-}
shift || true
dir="" name=realkube nodes=3 netns_mode=auto owner="" command=()
while (($#)); do
  case $1 in
  --dir) dir=$2; shift 2 ;;
  --name) name=$2; shift 2 ;;
  --nodes) nodes=$2; shift 2 ;;
  --netns) netns_mode=$2; shift 2 ;;
  --owner-pid) owner=$2; shift 2 ;;
  --) shift; command=("$@"); break ;;
  *) die "unknown argument '$1' (see the header of $0)" ;;
  esac
done
[[ $owner == parent ]] && owner=$PPID

case $cmd in
start)
  [[ -n $dir ]] || die "start needs --dir DIR"
  start_cluster "$dir" "$name" "$nodes" "$netns_mode" "$owner"
  ;;
stop)
  [[ -n $dir ]] || die "stop needs --dir DIR"
  stop_cluster "$dir"
  ;;
exec)
  [[ -n $dir && ${#command[@]} -gt 0 ]] || die "exec needs --dir DIR -- COMMAND..."
  exec_in_cluster "$dir" "${command[@]}"
  ;;
run)
  ((${#command[@]})) || die "run needs -- COMMAND..."
  dir=$(mktemp -d "${TMPDIR:-/tmp}/driftdeck-realkube.XXXXXX")
  trap 'stop_cluster "$dir"; rm -rf "$dir"' EXIT
  start_cluster "$dir" "$name" "$nodes" "$netns_mode" "$$"
  set +e
  # In a subshell: exec_in_cluster execs, and this shell must live on to stop the cluster and
  # remove its directory (the kubeconfig and PKI keys) through the EXIT trap.
  (exec_in_cluster "$dir" "${command[@]}")
  status=$?
  set -e
  exit "$status"
  ;;
*) die "usage: $0 start|stop|exec|run --dir DIR ... (see the header of $0)" ;;
esac
