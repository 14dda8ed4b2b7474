# shellcheck shell=bash
# Installs the test environment's binaries into $TESTENV_CACHE. Sourced by hack/testenv.
# Everything is built or installed only when missing; names carry the version, so a version
# bump in testenv-common.sh installs the new one next to the old one.

# go_env: runs go with the settings every build here uses.
go_run() {
  GOWORK=off GOFLAGS="${GOFLAGS:-} -mod=mod" CGO_ENABLED=0 "$(find_go)" "$@"
}

# mod_info MODULE@VERSION FIELD: prints a field (GoMod, Info, Dir, ...) of `go mod download -json`.
mod_info() {
  go_run mod download -json "$1" | sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\\{0,1\\}\$/\\1/p"
}

# link_bin NAME VERSIONED: points $TESTENV_BIN/NAME at the versioned binary.
link_bin() {
  ln -sfn "$2" "$TESTENV_BIN/$1"
}

# with_cache_lock CMD...: serialises installs between concurrent `up`s sharing one cache.
with_cache_lock() {
  mkdir -p "$TESTENV_CACHE"
  if command -v flock >/dev/null 2>&1; then
    (
      flock 9
      "$@"
    ) 9>"$TESTENV_CACHE/.install.lock"
  else
    "$@"
  fi
}

ensure_kube() {
  local v="$TESTENV_KUBE_VERSION"
  local api="kube-apiserver-$v" ctl="kubectl-$v"
  if [ -x "$TESTENV_BIN/$api" ] && [ -x "$TESTENV_BIN/$ctl" ]; then
    link_bin kube-apiserver "$api"
    link_bin kubectl "$ctl"
    return 0
  fi
  local t0 dir minor staging_v gomod info build_date ldflags m pkg
  t0="$(now_s)"
  log "building kube-apiserver and kubectl $v (first time, takes minutes)..."
  minor="${v#v1.}"; minor="${minor%%.*}"
  staging_v="v0.${v#v1.}"
  dir="$TESTENV_SRC/kube-$v"
  mkdir -p "$dir" "$TESTENV_BIN"
  (
    cd "$dir" || exit 1
    [ -f go.mod ] || go_run mod init testenv.local/kube >/dev/null 2>&1
    # k8s.io/kubernetes replaces its staging modules with ./staging/src/... paths, which a
    # dependent module cannot use: point each of them at its published v0.X.Y instead.
    gomod="$(mod_info "k8s.io/kubernetes@$v" GoMod)"
    [ -f "$gomod" ] || die "could not download k8s.io/kubernetes@$v from the Go module proxy"
    local staging=()
    while IFS= read -r m; do staging+=("$m"); done < <(
      sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\)[[:space:]]*=>[[:space:]]*\./staging/src/.*#\1#p' "$gomod")
    [ "${#staging[@]}" -gt 0 ] || die "found no staging modules in $gomod"
    for m in "${staging[@]}"; do
      go_run mod edit "-replace=$m=$m@$staging_v"
    done
    log "  ${#staging[@]} staging modules replaced with @$staging_v; resolving dependencies..."
    go_run get -tool "k8s.io/kubernetes/cmd/kube-apiserver@$v" "k8s.io/kubernetes/cmd/kubectl@$v" \
      >"$dir/go-get.log" 2>&1 || { tail -n 30 "$dir/go-get.log" >&2; die "go get failed (log: $dir/go-get.log)"; }
    info="$(mod_info "k8s.io/kubernetes@$v" Info)"
    build_date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")"
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
    done
    for pkg in kube-apiserver kubectl; do
      log "  compiling $pkg $v (go build -p 2)..."
      go_run build -p 2 -trimpath -ldflags "$ldflags" -o "$TESTENV_BIN/$pkg-$v.tmp" \
        "k8s.io/kubernetes/cmd/$pkg"
      mv -f "$TESTENV_BIN/$pkg-$v.tmp" "$TESTENV_BIN/$pkg-$v"
    done
  )
  link_bin kube-apiserver "$api"
  link_bin kubectl "$ctl"
  log "built kube-apiserver and kubectl $v in $(($(now_s) - t0))s"
}

# ensure_kcm: kube-controller-manager from the wrapper module ensure_kube prepared (same
# replaces, same version stamp), so a cache holding apiserver and kubectl builds only this one.
ensure_kcm() {
  local v="$TESTENV_KUBE_VERSION" name="kube-controller-manager"
  local bin="$name-$v" dir="$TESTENV_SRC/kube-$v" t0 minor info build_date ldflags pkg
  if [ -x "$TESTENV_BIN/$bin" ]; then
    link_bin "$name" "$bin"
    return 0
  fi
  [ -f "$dir/go.mod" ] || die "no wrapper module in $dir: ensure_kube prepares it"
  t0="$(now_s)"
  log "building $name $v (first time, takes minutes)..."
  minor="${v#v1.}"; minor="${minor%%.*}"
  (
    cd "$dir" || exit 1
    go_run get -tool "k8s.io/kubernetes/cmd/$name@$v" >"$dir/go-get-kcm.log" 2>&1 \
      || { tail -n 30 "$dir/go-get-kcm.log" >&2; die "go get failed (log: $dir/go-get-kcm.log)"; }
    info="$(mod_info "k8s.io/kubernetes@$v" Info)"
    build_date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info")"
    ldflags="-s -w"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
      ldflags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
      ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=${build_date:-1970-01-01T00:00:00Z}"
    done
    go_run build -p 2 -trimpath -ldflags "$ldflags" -o "$TESTENV_BIN/$bin.tmp" "k8s.io/kubernetes/cmd/$name"
    mv -f "$TESTENV_BIN/$bin.tmp" "$TESTENV_BIN/$bin"
  )
  link_bin "$name" "$bin"
  log "built $name $v in $(($(now_s) - t0))s"
}

ensure_etcd() {
  local v="$TESTENV_ETCD_VERSION" t0 dir
  if [ -x "$TESTENV_BIN/etcd-$v" ]; then
    link_bin etcd "etcd-$v"
    return 0
  fi
  t0="$(now_s)"
  log "building etcd $v (first time, takes a minute or two)..."
  dir="$TESTENV_SRC/etcd-$v"
  mkdir -p "$dir" "$TESTENV_BIN"
  (
    cd "$dir" || exit 1
    [ -f go.mod ] || go_run mod init testenv.local/etcd >/dev/null 2>&1
    go_run get -tool "go.etcd.io/etcd/server/v3@$v" >"$dir/go-get.log" 2>&1 \
      || { tail -n 30 "$dir/go-get.log" >&2; die "go get failed (log: $dir/go-get.log)"; }
    # The server module's root package is etcd's main package.
    go_run build -p 2 -trimpath -ldflags "-s -w" -o "$TESTENV_BIN/etcd-$v.tmp" go.etcd.io/etcd/server/v3
    mv -f "$TESTENV_BIN/etcd-$v.tmp" "$TESTENV_BIN/etcd-$v"
  )
  link_bin etcd "etcd-$v"
  log "built etcd $v in $(($(now_s) - t0))s"
}

ensure_moto() {
  local v="$TESTENV_MOTO_VERSION" venv="$TESTENV_MOTO_VENV" t0 py
  if [ -f "$venv/.installed" ] && [ -x "$venv/bin/moto_server" ]; then
    return 0
  fi
  t0="$(now_s)"
  log "installing moto[server]==$v into $venv (first time)..."
  py="$(find_python)"
  rm -rf "$venv"
  "$py" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "moto[server]==$v" \
    || die "pip install moto[server]==$v failed"
  "$venv/bin/python" -c 'import moto, boto3, flask' || die "moto venv is broken: $venv"
  "$venv/bin/python" -m pip freeze --disable-pip-version-check >"$venv/.installed"
  log "installed moto $v in $(($(now_s) - t0))s"
}

# ensure_helm: helm, built from its module like the kube binaries; the Kubernetes version it
# renders and lints for follows its client-go, as helm's own Makefile sets it.
ensure_helm() {
  local v="$TESTENV_HELM_VERSION" t0 dir gov kmod kminor ldflags pkg
  if [ -x "$TESTENV_BIN/helm-$v" ]; then
    link_bin helm "helm-$v"
    return 0
  fi
  gov="$("$(find_go)" env GOVERSION)"
  version_ge "$gov" 1.26 || die "helm $v needs Go >= 1.26 (found $gov)"
  t0="$(now_s)"
  log "building helm $v (first time, takes a few minutes)..."
  dir="$TESTENV_SRC/helm-$v"
  mkdir -p "$dir" "$TESTENV_BIN"
  (
    cd "$dir" || exit 1
    [ -f go.mod ] || go_run mod init testenv.local/helm >/dev/null 2>&1
    go_run get -tool "helm.sh/helm/v3/cmd/helm@$v" >"$dir/go-get.log" 2>&1 \
      || { tail -n 30 "$dir/go-get.log" >&2; die "go get failed (log: $dir/go-get.log)"; }
    kmod="$(go_run list -m -f '{{.Version}}' k8s.io/client-go)"   # v0.36.2 -> Kubernetes 1.36
    kminor="${kmod#v0.}"; kminor="${kminor%%.*}"
    ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$v -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
    for pkg in helm.sh/helm/v3/pkg/lint/rules helm.sh/helm/v3/pkg/chartutil; do
      ldflags+=" -X $pkg.k8sVersionMajor=1 -X $pkg.k8sVersionMinor=$kminor"
    done
    go_run build -p 2 -trimpath -ldflags "$ldflags" -o "$TESTENV_BIN/helm-$v.tmp" helm.sh/helm/v3/cmd/helm
    mv -f "$TESTENV_BIN/helm-$v.tmp" "$TESTENV_BIN/helm-$v"
  )
  link_bin helm "helm-$v"
  log "built helm $v in $(($(now_s) - t0))s"
}

# fetch_crds MODULE@VERSION DIR OUT FILE...: copies CRD files of a Go module's DIR into OUT.
fetch_crds() {
  local module="$1" dir="$2" out="$3" src f
  shift 3
  [ -f "$out/.installed" ] && return 0
  log "fetching CRDs from $module..."
  src="$(cd "$TESTENV_SRC" && mod_info "$module" Dir)"
  [ -d "$src/$dir" ] || die "no $dir in $module"
  rm -rf "$out"
  mkdir -p "$out"
  for f in "$@"; do
    cp "$src/$dir"/$f "$out/"
  done
  chmod u+w "$out"/*.yaml
  touch "$out/.installed"
}

# ensure_crds: the CRDs of what deploy/ and the chart use beside Kubernetes itself, for dry runs:
# cert-manager's (Issuer, Certificate, ...), the Prometheus Operator's ServiceMonitor and the
# Gateway API's (experimental channel: the standard kinds plus ListenerSet).
ensure_crds() {
  fetch_crds "github.com/cert-manager/cert-manager@$TESTENV_CERT_MANAGER_VERSION" deploy/crds \
    "$TESTENV_CERT_MANAGER_CRDS" '*.yaml'
  fetch_crds "github.com/prometheus-operator/prometheus-operator@$TESTENV_PROMETHEUS_OPERATOR_VERSION" \
    example/prometheus-operator-crd "$TESTENV_SERVICEMONITOR_CRDS" monitoring.coreos.com_servicemonitors.yaml
  fetch_crds "sigs.k8s.io/gateway-api@$TESTENV_GATEWAY_API_VERSION" config/crd/experimental \
    "$TESTENV_GATEWAY_API_CRDS" 'gateway.networking.k8s.io_*.yaml'
}

# need_build: true when a Go-built binary of the pinned versions is missing.
need_build() {
  [ ! -x "$TESTENV_BIN/kube-apiserver-$TESTENV_KUBE_VERSION" ] ||
    [ ! -x "$TESTENV_BIN/kubectl-$TESTENV_KUBE_VERSION" ] ||
    [ ! -x "$TESTENV_BIN/kube-controller-manager-$TESTENV_KUBE_VERSION" ] ||
    [ ! -x "$TESTENV_BIN/etcd-$TESTENV_ETCD_VERSION" ] ||
    [ ! -x "$TESTENV_BIN/helm-$TESTENV_HELM_VERSION" ]
}

ensure_all() {
  mkdir -p "$TESTENV_BIN" "$TESTENV_SRC"
  with_cache_lock ensure_kube
  with_cache_lock ensure_kcm
  with_cache_lock ensure_etcd
  with_cache_lock ensure_moto
  with_cache_lock ensure_helm
  with_cache_lock ensure_crds
}
