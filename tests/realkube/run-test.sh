#!/usr/bin/env bash
# Runs a test executable against the real referees (ctest label realkube):
#   run-test.sh cluster STATE COMMAND...  in the control plane's network (started by fixture.sh),
#                                         with DRIFTDECK_BACKEND=realkube and its kubeconfig;
#   run-test.sh tools STATE COMMAND...    with the built helm and kustomize first on PATH.
# Exit 77 (skip) when the referees are not built, unless DRIFTDECK_REQUIRE_REFEREES=1: then 1.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"
mode=${1:?cluster|tools} state=${2:?state directory}
shift 2

missing_referee() {
  if [[ ${DRIFTDECK_REQUIRE_REFEREES:-0} == 1 ]]; then
    echo "realkube: ERROR: $1 (DRIFTDECK_REQUIRE_REFEREES=1)" >&2
    exit 1
  fi
  echo "realkube: skipped: $1" >&2
  exit 77
}

case $mode in
tools)
  for tool in helm kustomize; do
    bin=$(realkube_binary "$tool") || missing_referee "$tool is not built (run tests/realkube/build.sh)"
    PATH=$(dirname "$bin"):$PATH
  done
  export PATH
  exec "$@"
  ;;
cluster)
  [[ ! -f $state/unavailable ]] || missing_referee "$(cat "$state/unavailable")"
  [[ -f $state/cluster/ready ]] ||
    { echo "realkube: ERROR: no running control plane in $state/cluster: see the output of realkube.start" >&2; exit 1; }
  export DRIFTDECK_BACKEND=realkube DRIFTDECK_REALKUBE_KUBECONFIG=$state/cluster/kubeconfig
  exec "$here/launch.sh" exec --dir "$state/cluster" -- "$@"
  ;;
*) echo "usage: $0 cluster|tools STATE COMMAND..." >&2; exit 2 ;;
esac
