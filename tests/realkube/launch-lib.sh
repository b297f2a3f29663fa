# Functions of launch.sh: PKI, component start, readiness, stop.
# shellcheck shell=bash

die() {
  printf 'realkube-launch: ERROR: %s\n' "$*" >&2
  exit 1
}
say() { printf 'realkube-launch: %s\n' "$*" >&2; }

NETNS=""
# Runs a command in the cluster's network namespace (or here, without one).
in_ns() {
  if [[ -n $NETNS ]]; then ip netns exec "$NETNS" "$@"; else "$@"; fi
}

# Six free loopback ports (etcd client, etcd peer, apiserver, controller-manager, scheduler,
# kwok), found by binding them all at once so they are distinct.
pick_ports() {
  in_ns python3 -c '
import socket
socks = [socket.socket() for _ in range(6)]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))'
}

make_pki() {
  local pki=$1
  mkdir -p "$pki"
  (
    cd "$pki"
    local ossl=(openssl)
    "${ossl[@]}" ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
    "${ossl[@]}" req -x509 -new -key ca.key -days 2 -subj "/CN=driftdeck-realkube-ca" -out ca.crt \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    # name subject extensions...
    issue() {
      local file=$1 subject=$2 ext=$3
      "${ossl[@]}" ecparam -name prime256v1 -genkey -noout -out "$file.key" 2>/dev/null
      "${ossl[@]}" req -new -key "$file.key" -subj "$subject" -out "$file.csr" 2>/dev/null
      printf '%b' "$ext" >"$file.ext"
      "${ossl[@]}" x509 -req -in "$file.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
        -extfile "$file.ext" -out "$file.crt" 2>/dev/null
      rm -f "$file.csr" "$file.ext"
    }
    issue apiserver "/CN=kube-apiserver" \
      "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local\n"
    issue admin "/O=system:masters/CN=admin" \
      "keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
    "${ossl[@]}" genrsa -out sa.key 2048 2>/dev/null
    "${ossl[@]}" rsa -in sa.key -pubout -out sa.pub 2>/dev/null
    printf '%s,viewer,viewer-uid\n' "$(openssl rand -hex 24)" >tokens.csv
    chmod 600 ./*.key tokens.csv
  )
}

b64() { base64 -w0 <"$1"; }

# DIR/kubeconfig (admin + viewer contexts) and DIR/admin.kubeconfig (for the components).
write_kubeconfigs() {
  local dir=$1 name=$2 port=$3 token
  token=$(cut -d, -f1 "$dir/pki/tokens.csv")
  cat >"$dir/kubeconfig" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: $name
  cluster:
    server: https://127.0.0.1:$port
    certificate-authority-data: $(b64 "$dir/pki/ca.crt")
users:
- name: admin
  user:
    client-certificate-data: $(b64 "$dir/pki/admin.crt")
    client-key-data: $(b64 "$dir/pki/admin.key")
- name: viewer
  user:
    token: $token
contexts:
- name: $name
  context: {cluster: $name, user: admin, namespace: default}
- name: $name-viewer
  context: {cluster: $name, user: viewer, namespace: default}
current-context: $name
EOF
  chmod 600 "$dir/kubeconfig"
  cp "$dir/kubeconfig" "$dir/admin.kubeconfig"
}

# spawn DIR NAME BINARY ARGS...: starts a component in its own session, detached from the
# caller's stdio (so a test runner does not wait for it), and records its PID.
spawn() {
  local dir=$1 component=$2
  shift 2
  local pidfile=$dir/pids/$component
  if [[ -n $NETNS ]]; then
    setsid ip netns exec "$NETNS" bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" \
      </dev/null >"$dir/logs/$component.log" 2>&1 &
  else
    setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" </dev/null >"$dir/logs/$component.log" 2>&1 &
  fi
  echo "$component" >>"$dir/pids/order"
  local deadline=$((SECONDS + 10))
  until [[ -s $pidfile ]]; do
    ((SECONDS < deadline)) || die "$component did not start (see $dir/logs/$component.log)"
    sleep 0.05
  done
}

alive() { kill -0 "$(cat "$1/pids/$2")" 2>/dev/null; }

# wait_for DIR COMPONENT TIMEOUT DESCRIPTION CHECK...: polls CHECK until it succeeds; fails early,
# with the component's log, when the component exits.
wait_for() {
  local dir=$1 component=$2 timeout=$3 what=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  until "$@" >/dev/null 2>&1; do
    if ! alive "$dir" "$component"; then
      tail -n 30 "$dir/logs/$component.log" >&2
      die "$component exited before $what (log: $dir/logs/$component.log)"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$dir/logs/$component.log" >&2
      die "$what: not within ${timeout}s (log: $dir/logs/$component.log)"
    fi
    sleep 0.2
  done
}

kubectl_admin() { in_ns kubectl --kubeconfig "$DIR/admin.kubeconfig" "$@"; }

fake_nodes() {
  local i
  for ((i = 0; i < $1; i++)); do
    cat <<EOF
---
apiVersion: v1
kind: Node
metadata:
  name: kwok-node-$i
  annotations: {kwok.x-k8s.io/node: fake, node.alpha.kubernetes.io/ttl: "0"}
  labels: {kubernetes.io/hostname: kwok-node-$i, kubernetes.io/os: linux, kubernetes.io/arch: amd64, type: kwok}
status:
  allocatable: {cpu: "32", memory: 256Gi, pods: "110"}
  capacity: {cpu: "32", memory: 256Gi, pods: "110"}
EOF
  done
}

binary_or_die() {
  realkube_binary "$1" ||
    die "$1 is not built: run tests/realkube/build.sh (cache: $REALKUBE_CACHE)"
}

# start_cluster DIR NAME NODES NETNS-MODE OWNER-PID
start_cluster() {
  DIR=$1
  local name=$2 nodes=$3 mode=$4 owner=$5
  local etcd apiserver kcm scheduler kwok
  etcd=$(binary_or_die etcd) apiserver=$(binary_or_die kube-apiserver)
  kcm=$(binary_or_die kube-controller-manager) scheduler=$(binary_or_die kube-scheduler)
  kwok=$(binary_or_die kwok)
  command -v kubectl >/dev/null || die "kubectl is not on PATH"
  [[ ! -e $DIR/pids ]] || die "$DIR already holds a cluster: stop it first (launch.sh stop --dir $DIR)"
  mkdir -p "$DIR/logs" "$DIR/pids"
  DIR=$(cd "$DIR" && pwd)
  local start=$SECONDS

  if [[ $mode != no ]] && ((EUID == 0)) && command -v ip >/dev/null; then
    NETNS=driftdeck-rk-$name-$$
    if ip netns add "$NETNS" 2>"$DIR/logs/netns.log" && ip netns exec "$NETNS" ip link set lo up; then
      echo "$NETNS" >"$DIR/netns"
    else
      [[ $mode == yes ]] && die "cannot create a network namespace: $(cat "$DIR/logs/netns.log")"
      NETNS=""
    fi
  elif [[ $mode == yes ]]; then
    die "--netns yes needs root and iproute2"
  fi
  if [[ -n $NETNS ]]; then say "network: namespace $NETNS with only lo"; else say "network: host loopback (every listener on 127.0.0.1)"; fi

  local ports p_etcd p_peer p_api p_kcm p_sched p_kwok
  ports=$(pick_ports) || die "python3 is needed to pick free ports"
  read -r p_etcd p_peer p_api p_kcm p_sched p_kwok <<<"$ports"
  echo "$p_api" >"$DIR/port"
  make_pki "$DIR/pki"
  write_kubeconfigs "$DIR" "$name" "$p_api"
  local pki=$DIR/pki

  if [[ -n $owner ]]; then
    # Stops the cluster when the owner (a test runner) ends, even if it crashed.
    setsid bash -c 'echo $$ >"$0"; tail --pid="$1" -f /dev/null & echo $! >"$0.tail"; wait $!
      exec "$2" stop --dir "$3"' \
      "$DIR/pids/watchdog" "$owner" "$here/launch.sh" "$DIR" </dev/null >"$DIR/logs/watchdog.log" 2>&1 &
  fi

  spawn "$DIR" etcd "$etcd" --name rk --data-dir "$DIR/etcd" \
    --listen-client-urls "http://127.0.0.1:$p_etcd" --advertise-client-urls "http://127.0.0.1:$p_etcd" \
    --listen-peer-urls "http://127.0.0.1:$p_peer" --initial-advertise-peer-urls "http://127.0.0.1:$p_peer" \
    --initial-cluster "rk=http://127.0.0.1:$p_peer" --unsafe-no-fsync --auto-compaction-retention=1 \
    --log-level=warn
  wait_for "$DIR" etcd 30 "etcd healthy" in_ns curl -sf "http://127.0.0.1:$p_etcd/health"

  spawn "$DIR" kube-apiserver "$apiserver" --etcd-servers "http://127.0.0.1:$p_etcd" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$p_api" \
    --endpoint-reconciler-type=none --tls-cert-file="$pki/apiserver.crt" \
    --tls-private-key-file="$pki/apiserver.key" --client-ca-file="$pki/ca.crt" \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$pki/sa.pub" --service-account-signing-key-file="$pki/sa.key" \
    --service-cluster-ip-range=10.0.0.0/16 --authorization-mode=Node,RBAC --allow-privileged=true \
    --token-auth-file="$pki/tokens.csv" --profiling=false
  local curl_admin=(in_ns curl -sf --cacert "$pki/ca.crt" --cert "$pki/admin.crt" --key "$pki/admin.key")
  wait_for "$DIR" kube-apiserver 180 "kube-apiserver ready" "${curl_admin[@]}" "https://127.0.0.1:$p_api/readyz"
  kubectl_admin create clusterrolebinding driftdeck-viewer --clusterrole=view --user=viewer >/dev/null

  local common=(--kubeconfig="$DIR/admin.kubeconfig" --authentication-kubeconfig="$DIR/admin.kubeconfig"
    --authorization-kubeconfig="$DIR/admin.kubeconfig" --bind-address=127.0.0.1 --leader-elect=false
    --authorization-always-allow-paths=/healthz,/readyz,/livez)
  spawn "$DIR" kube-controller-manager "$kcm" "${common[@]}" --secure-port="$p_kcm" \
    --cert-dir="$DIR/kcm" --service-account-private-key-file="$pki/sa.key" --root-ca-file="$pki/ca.crt" \
    --cluster-signing-cert-file="$pki/ca.crt" --cluster-signing-key-file="$pki/ca.key" \
    --use-service-account-credentials=false
  spawn "$DIR" kube-scheduler "$scheduler" "${common[@]}" --secure-port="$p_sched" --cert-dir="$DIR/scheduler"
  # Node leases: without them kwok's status heartbeats come less often than the controller-manager's
  # grace period, every Node turns NotReady for a moment about once a minute, and the node lifecycle
  # controller sets Ready=False on every Pod there, which kwok never sets back (Deployments then
  # stay unavailable).
  spawn "$DIR" kwok "$kwok" --kubeconfig="$DIR/admin.kubeconfig" --manage-all-nodes=true \
    --node-ip=127.0.0.1 --cidr=10.244.0.0/16 --server-address="127.0.0.1:$p_kwok" \
    --node-lease-duration-seconds=40
  wait_for "$DIR" kube-controller-manager 120 "kube-controller-manager healthy" \
    in_ns curl -sfk "https://127.0.0.1:$p_kcm/healthz"
  wait_for "$DIR" kube-scheduler 120 "kube-scheduler healthy" in_ns curl -sfk "https://127.0.0.1:$p_sched/healthz"

  fake_nodes "$nodes" | kubectl_admin apply -f - >/dev/null
  wait_for "$DIR" kwok 120 "$nodes kwok Nodes Ready" \
    kubectl_admin wait --for=condition=Ready node --all --timeout=5s
  # The ServiceAccount admission plugin rejects Pods until the controller-manager made `default`.
  wait_for "$DIR" kube-controller-manager 120 "ServiceAccount default/default" \
    kubectl_admin get serviceaccount default -n default
  echo ready >"$DIR/ready"
  say "cluster '$name' ready in $((SECONDS - start))s: kubeconfig $DIR/kubeconfig, apiserver https://127.0.0.1:$p_api$(
    [[ -n $NETNS ]] && echo ", clients run with: $here/launch.sh exec --dir $DIR -- kubectl get nodes")"
}

# True when the recorded PID still runs the program we started (not a reused PID).
ours() {
  local pid=$1 component=$2
  [[ -r /proc/$pid/cmdline ]] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "$component"
}

stop_cluster() {
  local dir=$1 component pid
  [[ -d $dir/pids ]] || return 0
  local order=()
  [[ -f $dir/pids/order ]] && mapfile -t order <"$dir/pids/order"
  # TERM to all at once, newest first (a throwaway cluster needs no orderly drain), then wait.
  local i signalled=()
  for ((i = ${#order[@]} - 1; i >= 0; i--)); do
    component=${order[i]}
    pid=$(cat "$dir/pids/$component" 2>/dev/null) || continue
    ours "$pid" "$component" || continue
    kill -TERM "$pid" 2>/dev/null && signalled+=("$pid:$component")
  done
  local deadline=$((SECONDS + 15))
  local entry
  for entry in "${signalled[@]}"; do
    pid=${entry%%:*} component=${entry#*:}
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.1; done
    if ours "$pid" "$component"; then kill -KILL "$pid" 2>/dev/null || true; fi
  done
  if [[ -f $dir/netns ]]; then
    ip netns delete "$(cat "$dir/netns")" 2>/dev/null || true
    rm -f "$dir/netns"
  fi
  rm -rf "$dir/etcd" "$dir/ready" "$dir/pids/order"
  # The watchdog last: it may be the process running this very function.
  if [[ -f $dir/pids/watchdog ]]; then
    pid=$(cat "$dir/pids/watchdog")
    local tail_pid
    tail_pid=$(cat "$dir/pids/watchdog.tail" 2>/dev/null) || tail_pid=""
    rm -rf "$dir/pids"
    if [[ $pid != "$$" ]] && ours "$pid" "tail --pid"; then kill -TERM "$pid" 2>/dev/null || true; fi
    if [[ -n $tail_pid ]] && ours "$tail_pid" "tail"; then kill -TERM "$tail_pid" 2>/dev/null || true; fi
  fi
  rm -rf "$dir/pids"
  say "stopped the cluster in $dir"
}

exec_in_cluster() {
  local dir=$1
  shift
  [[ -f $dir/ready ]] || die "no ready cluster in $dir (launch.sh start --dir $dir)"
  export KUBECONFIG=$dir/kubeconfig
  if [[ -f $dir/netns ]]; then exec ip netns exec "$(cat "$dir/netns")" "$@"; fi
  exec "$@"
}
