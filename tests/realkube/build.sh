#!/usr/bin/env bash
# Builds the real-control-plane referees (etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, kwok, helm, kustomize) from Go modules fetched through the module proxy,
# into $REALKUBE_CACHE/<tool>/<version>/bin/. A tool whose cache entry is complete is not
# rebuilt, so a second run is a no-op.
#
# Usage: build.sh [tool...]      (default: all tools, in the order of versions.sh)
#
# Each build uses its own scratch module generated here: its go line and godebug settings
# are copied from the go.mod the proxy serves for the tool, and for k8s.io/kubernetes every
# staging module (replaced by ./staging/... upstream, which is not in the module zip) is
# replaced by its published v0.<minor>.<patch> tag. One module per tool, so tools never
# unify each other's dependency versions.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=versions.sh
source "$here/versions.sh"

if ! command -v go >/dev/null; then
  echo "realkube-build: ERROR: go is not on PATH: Go >= 1.24 and the Go module proxy build the referees" >&2
  exit 1
fi
export GOTOOLCHAIN=local CGO_ENABLED=0
export GOMODCACHE=$REALKUBE_GO_CACHE/mod GOCACHE=$REALKUBE_GO_CACHE/build
export GOFLAGS="-p=${DRIFTDECK_GO_PARALLEL:-2} -buildvcs=false"
# Only the module proxy is reachable: fail on it instead of falling back to source hosts.
GOPROXY=$(go env GOPROXY)
export GOPROXY=${GOPROXY%,direct}
NICE=(nice -n "${DRIFTDECK_BUILD_NICE:-15}")

mkdir -p "$REALKUBE_CACHE/_logs" "$REALKUBE_CACHE/_work" "$GOMODCACHE" "$GOCACHE"
exec 9>"$REALKUBE_CACHE/.lock"
flock 9 # one build at a time per cache (CI and a developer may share it)

log() { printf 'realkube-build: %s\n' "$*" >&2; }

# The go.mod the proxy serves for module@version (path in the module cache).
upstream_gomod() {
  local json
  json=$(go mod download -json "$1@$2") || true
  printf '%s\n' "$json" >&2 # into the log: holds "Error" when the proxy refused
  sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p' <<<"$json"
}

# Writes the scratch go.mod for building module@version into the current directory.
write_scratch_gomod() {
  local module=$1 version=$2 gomod=$3
  {
    echo "module driftdeck.local/realkube-build"
    echo
    grep -E '^go [0-9.]+$' "$gomod"
    # godebug settings only apply in the main module; keep the tool's own.
    awk '/^godebug \(/{b=1} b{print} b&&/^\)/{b=0} /^godebug [^(]/{print}' "$gomod"
    if [[ $module == k8s.io/kubernetes ]]; then
      local minor_patch=${version#v1.}
      echo "replace ("
      sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/.*#\1#p' "$gomod" |
        while read -r staging; do echo "	$staging => $staging v0.$minor_patch"; done
      echo ")"
    fi
    # Version-to-version replaces of the tool (not local paths) also only apply in the main module.
    awk '/^replace \(/{b=1;next} b&&/^\)/{b=0;next} b{print "replace " $0} /^replace [^(]/{print}' "$gomod" |
      grep -E '=>[[:space:]]*[^.[:space:]/][^[:space:]]*[[:space:]]+v[0-9]' | grep -v '=> *\.' || true
  } >go.mod
}

# -ldflags that make the binary report its real version.
stamp_flags() {
  local tool=$1 module=$2 version=$3 date
  date=$(go list -m -json "$module@$version" | sed -n 's/^[[:space:]]*"Time": "\(.*\)",*$/\1/p')
  case $module in
  k8s.io/kubernetes)
    local minor=${version#v1.}
    minor=${minor%%.*}
    local p f=""
    for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      f+=" -X $p.gitVersion=$version -X $p.gitMajor=1 -X $p.gitMinor=$minor"
      f+=" -X $p.gitTreeState=clean -X $p.buildDate=$date"
    done
    echo "$f"
    ;;
  helm.sh/helm/v3) echo "-X helm.sh/helm/v3/internal/version.version=$version" ;;
  sigs.k8s.io/kwok) echo "-X sigs.k8s.io/kwok/pkg/consts.Version=$version" ;;
  sigs.k8s.io/kustomize/kustomize/v5)
    echo "-X sigs.k8s.io/kustomize/api/provenance.version=kustomize/$version -X sigs.k8s.io/kustomize/api/provenance.buildDate=$date"
    ;;
  *) echo "" ;;
  esac
}

# Builds tool@version; returns non-zero (with the reason in the log) when it cannot.
build_one() {
  local tool=$1 version=$2
  local module package binary
  read -r module package binary <<<"${REALKUBE_PACKAGE[$tool]}"
  local out=$REALKUBE_CACHE/$tool/$version logfile=$REALKUBE_CACHE/_logs/$tool-$version.log
  local work=$REALKUBE_CACHE/_work/${module//\//_}@$version
  mkdir -p "$work" "$out/bin"
  : >"$logfile"
  log "building $tool $version ($package) with $(go env GOVERSION); log: $logfile"
  local start=$SECONDS gomod
  gomod=$(upstream_gomod "$module" "$version" 2>>"$logfile") || true
  if [[ -z $gomod ]]; then
    log "the module proxy did not serve $module@$version: $(sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p' "$logfile" | head -n 1) (log: $logfile)"
    return 1
  fi
  (
    cd "$work"
    write_scratch_gomod "$module" "$version" "$gomod"
    rm -f go.sum
    "${NICE[@]}" go get "$package@$version"
    "${NICE[@]}" go build -mod=mod -trimpath -ldflags "-s -w $(stamp_flags "$tool" "$module" "$version")" \
      -o "$out/bin/$binary.tmp" "$package"
    mv "$out/bin/$binary.tmp" "$out/bin/$binary"
  ) >>"$logfile" 2>&1 || {
    log "build of $package from $module@$version failed with $(go env GOVERSION):"
    tail -n 15 "$logfile" | sed 's/^/    /' >&2
    return 1
  }
  "$out/bin/$binary" --version >"$out/version.txt" 2>&1 || "$out/bin/$binary" version >"$out/version.txt" 2>&1 || true
  echo "$((SECONDS - start))" >"$out/build-seconds"
  touch "$out/complete"
  echo "$version" >"$REALKUBE_CACHE/$tool/current"
  log "built $tool $version in $((SECONDS - start)) s: $(head -n 1 "$out/version.txt")"
}

ensure_tool() {
  local tool=$1 version candidates
  candidates=${REALKUBE_CANDIDATES[$tool]:?unknown tool $tool}
  # The Kubernetes binaries must share one version: prefer the apiserver's.
  if [[ $tool == kube-* && $tool != kube-apiserver ]] && [[ -f $REALKUBE_CACHE/kube-apiserver/current ]]; then
    candidates="$(cat "$REALKUBE_CACHE/kube-apiserver/current") $candidates"
  fi
  for version in $candidates; do
    if [[ -f $REALKUBE_CACHE/$tool/$version/complete ]]; then
      echo "$version" >"$REALKUBE_CACHE/$tool/current"
      log "$tool $version: cached"
      return 0
    fi
  done
  for version in $candidates; do
    build_one "$tool" "$version" && return 0
    log "trying the next candidate version of $tool"
  done
  log "ERROR: no candidate version of $tool (${REALKUBE_PACKAGE[$tool]%% *} $candidates) builds with $(go env GOVERSION)"
  return 1
}

tools=("$@")
((${#tools[@]})) || tools=("${REALKUBE_TOOLS[@]}")
failed=()
for tool in "${tools[@]}"; do
  ensure_tool "$tool" || failed+=("$tool")
done
du -sh "$REALKUBE_CACHE" "$REALKUBE_GO_CACHE" 2>/dev/null | sed 's/^/realkube-build: cache size /' >&2
if ((${#failed[@]})); then
  log "FAILED: ${failed[*]}"
  exit 1
fi
