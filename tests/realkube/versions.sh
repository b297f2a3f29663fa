# Pinned versions of the real-control-plane referees, first candidate first.
# Sourced by build.sh and launch.sh. When a candidate does not download or does not
# build with the machine's Go, build.sh tries the next one and records which it used.
# shellcheck shell=bash
REALKUBE_CACHE=${DRIFTDECK_REALKUBE_CACHE:-$HOME/.cache/driftdeck/realkube}
REALKUBE_GO_CACHE=${DRIFTDECK_GO_CACHE:-$HOME/.cache/driftdeck/go}

# tool -> "module-path main-package binary-name"
declare -A REALKUBE_PACKAGE=(
  [kustomize]="sigs.k8s.io/kustomize/kustomize/v5 sigs.k8s.io/kustomize/kustomize/v5 kustomize"
  [helm]="helm.sh/helm/v3 helm.sh/helm/v3/cmd/helm helm"
  [etcd]="go.etcd.io/etcd/server/v3 go.etcd.io/etcd/server/v3 etcd"
  [kwok]="sigs.k8s.io/kwok sigs.k8s.io/kwok/cmd/kwok kwok"
  [kube-apiserver]="k8s.io/kubernetes k8s.io/kubernetes/cmd/kube-apiserver kube-apiserver"
  [kube-controller-manager]="k8s.io/kubernetes k8s.io/kubernetes/cmd/kube-controller-manager kube-controller-manager"
  [kube-scheduler]="k8s.io/kubernetes k8s.io/kubernetes/cmd/kube-scheduler kube-scheduler"
)

# Build order: cheap and immediately useful first.
REALKUBE_TOOLS=(kustomize helm etcd kwok kube-apiserver kube-controller-manager kube-scheduler)

# Candidates, newest acceptable patch first. The Kubernetes binaries must share one version.
KUBE_CANDIDATES=(v1.33.13 v1.33.6 v1.34.4 v1.32.13)
declare -A REALKUBE_CANDIDATES=(
  [kustomize]="v5.7.1 v5.6.0"
  [helm]="v3.18.6 v3.18.4"
  [etcd]="v3.5.35 v3.5.21"
  [kwok]="v0.7.0 v0.6.1"
  [kube-apiserver]="${KUBE_CANDIDATES[*]}"
  [kube-controller-manager]="${KUBE_CANDIDATES[*]}"
  [kube-scheduler]="${KUBE_CANDIDATES[*]}"
)

# Path of the built binary of <tool> recorded by build.sh (empty when not built).
realkube_binary() {
  local tool=$1 version
  version=$(cat "$REALKUBE_CACHE/$tool/current" 2>/dev/null) || return 1
  local bin=$REALKUBE_CACHE/$tool/$version/bin/${REALKUBE_PACKAGE[$tool]##* }
  [[ -f $REALKUBE_CACHE/$tool/$version/complete && -x $bin ]] || return 1
  printf '%s\n' "$bin"
}
