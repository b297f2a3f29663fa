#!/usr/bin/env bash
# ctest fixture of the label realkube: `fixture.sh start STATE` launches the control plane into
# STATE/cluster (stopped by a watchdog if ctest dies), `fixture.sh stop STATE` stops it.
# When the binaries are not built: a note for run-test.sh to skip, or a failure when
# DRIFTDECK_REQUIRE_REFEREES=1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"
action=${1:?start|stop} state=${2:?state directory}
mkdir -p "$state"
case $action in
start)
  "$here/launch.sh" stop --dir "$state/cluster" # a cluster left by an interrupted run
  rm -rf "$state/cluster" "$state/unavailable"
  missing=()
  for tool in etcd kube-apiserver kube-controller-manager kube-scheduler kwok; do
    realkube_binary "$tool" >/dev/null || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    message="not built: ${missing[*]} (run tests/realkube/build.sh; cache $REALKUBE_CACHE)"
    if [[ ${DRIFTDECK_REQUIRE_REFEREES:-0} == 1 ]]; then
      echo "realkube: ERROR: $message; DRIFTDECK_REQUIRE_REFEREES=1 makes this a failure" >&2
      exit 1
    fi
    echo "$message" >"$state/unavailable"
    echo "realkube: $message: the realkube tests will be skipped" >&2
    exit 0
  fi
  exec "$here/launch.sh" start --dir "$state/cluster" --owner-pid "$PPID"
  ;;
stop) exec "$here/launch.sh" stop --dir "$state/cluster" ;;
*) echo "usage: $0 start|stop STATE" >&2; exit 2 ;;
esac
