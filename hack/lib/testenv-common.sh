# shellcheck shell=bash disable=SC2034  # the variables are used by the files sourcing this one
# Shared settings and helpers for hack/testenv. Sourced, not executed.
#
# Pinned versions: bump a version here and the next `hack/testenv up` rebuilds or
# reinstalls that component (binaries and venvs carry the version in their name).

TESTENV_KUBE_VERSION="v1.34.4"     # k8s.io/kubernetes tag: kube-apiserver, kube-controller-manager, kubectl
TESTENV_ETCD_VERSION="v3.6.8"      # go.etcd.io/etcd/server/v3
TESTENV_MOTO_VERSION="5.2.5"       # PyPI moto[server] (brings boto3)
TESTENV_HELM_VERSION="v3.21.4"     # helm.sh/helm/v3 (its go.mod says `go 1.26.0`)
TESTENV_CERT_MANAGER_VERSION="v1.19.1"  # github.com/cert-manager/cert-manager: deploy/crds/
TESTENV_PROMETHEUS_OPERATOR_VERSION="v0.85.0"  # its ServiceMonitor CRD (example/prometheus-operator-crd/)
TESTENV_GATEWAY_API_VERSION="v1.6.3"  # sigs.k8s.io/gateway-api: config/crd/experimental (a superset of standard)
TESTENV_GO_MIN="1.26"              # helm v3.21.4 go.mod says `go 1.26.0` (k8s.io/kubernetes v1.34: 1.24.0)
TESTENV_PYTHON_MIN="3.10"

# Paths. REPO_ROOT must be set by the caller.
TESTENV_CACHE="${TESTENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/alb-ingress-controller/testenv}"
TESTENV_BIN="$TESTENV_CACHE/bin"
TESTENV_SRC="$TESTENV_CACHE/src"
TESTENV_MOTO_VENV="$TESTENV_CACHE/venv-moto-$TESTENV_MOTO_VERSION"
TESTENV_CERT_MANAGER_CRDS="$TESTENV_CACHE/crds/cert-manager-$TESTENV_CERT_MANAGER_VERSION"
TESTENV_SERVICEMONITOR_CRDS="$TESTENV_CACHE/crds/prometheus-operator-$TESTENV_PROMETHEUS_OPERATOR_VERSION"
TESTENV_GATEWAY_API_CRDS="$TESTENV_CACHE/crds/gateway-api-$TESTENV_GATEWAY_API_VERSION"
TESTENV_DIR="$REPO_ROOT/target/testenv"
TESTENV_PKI="$TESTENV_DIR/pki"
TESTENV_LOGS="$TESTENV_DIR/logs"
TESTENV_PIDS="$TESTENV_DIR/pids"
TESTENV_STATE="$TESTENV_DIR/state.env"   # ports, cluster name, versions of the running env
TESTENV_REGION="us-west-2"

# Processes we start, in start order; `down` stops them in reverse.
TESTENV_COMPONENTS=(etcd kube-apiserver kube-controller-manager moto)

log() { printf 'testenv: %s\n' "$*" >&2; }
die() { printf 'testenv: error: %s\n' "$*" >&2; exit 1; }

# now_s: seconds since the epoch (integer); now_ms: milliseconds.
now_s() { date +%s; }
now_ms() { date +%s%3N; }

# secs_since T0_MS: prints the seconds elapsed since T0_MS with one decimal, e.g. 2.4.
secs_since() {
  local d=$(($(now_ms) - $1))
  printf '%d.%d' $((d / 1000)) $((d % 1000 / 100))
}

# version_ge A B: true when dotted version A >= B (numeric compare, leading "v"/"go" ignored).
version_ge() {
  local a="${1#v}" b="${2#v}"
  a="${a#go}"
  [ "$(printf '%s\n%s\n' "$a" "$b" | sort -V | head -n1)" = "$b" ]
}

# find_go: prints the go binary to use (PATH first, then /usr/local/go), or nothing.
find_go() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [ -x /usr/local/go/bin/go ]; then
    echo /usr/local/go/bin/go
  fi
}

# find_python: prints a python3 >= TESTENV_PYTHON_MIN, or nothing.
find_python() {
  local py
  for py in "${TESTENV_PYTHON:-}" python3 python3.13 python3.12 python3.11 python3.10; do
    [ -n "$py" ] || continue
    command -v "$py" >/dev/null 2>&1 || continue
    if "$py" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' 2>/dev/null; then
      command -v "$py"
      return 0
    fi
  done
}

# check_prereqs [NEED_GO]: exits 1 with install hints when a tool is missing or too old.
# Go is checked only when NEED_GO is 1 (something has to be built).
check_prereqs() {
  local need_go="${1:-1}" missing=0 go py gov
  go="$(find_go)"
  if [ "$need_go" != 1 ]; then
    :
  elif [ -z "$go" ]; then
    log "Go >= $TESTENV_GO_MIN is needed to build kube-apiserver, kube-controller-manager, kubectl, etcd and helm."
    log "  install it from the Go distribution (e.g. into /usr/local/go) or your package manager."
    missing=1
  else
    gov="$("$go" env GOVERSION)"
    if ! version_ge "$gov" "$TESTENV_GO_MIN"; then
      log "$go is $gov; Go >= $TESTENV_GO_MIN is needed."
      missing=1
    fi
  fi
  py="$(find_python)"
  if [ -z "$py" ]; then
    log "python3 >= $TESTENV_PYTHON_MIN (with the venv module) is needed for moto."
    log "  e.g. apt-get install python3 python3-venv   (or set TESTENV_PYTHON=/path/to/python3.x)"
    missing=1
  elif ! "$py" -c 'import venv, ensurepip' 2>/dev/null; then
    log "$py lacks the venv/ensurepip modules: e.g. apt-get install python3-venv"
    missing=1
  fi
  local tool
  for tool in openssl curl; do
    if ! command -v "$tool" >/dev/null 2>&1; then
      log "$tool is needed: e.g. apt-get install $tool"
      missing=1
    fi
  done
  [ "$missing" -eq 0 ] || exit 1
}

# free_ports N: prints N distinct free TCP ports on 127.0.0.1, one per line.
free_ports() {
  "$(find_python)" - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    socks.append(s)
for s in socks:
    print(s.getsockname()[1])
    s.close()
EOF
}
