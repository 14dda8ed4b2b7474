# shellcheck shell=bash
# Certificates and kubeconfig for the test kube-apiserver, as controller-runtime's envtest
# makes them: a CA, a serving cert for 127.0.0.1/localhost, an admin client cert in group
# system:masters and a service-account RSA key pair. Sourced by hack/testenv.

# sign_cert NAME SUBJECT EXTENSIONS: key + cert signed by the test CA, in $TESTENV_PKI.
sign_cert() {
  local name="$1" subj="$2" ext="$3" dir="$TESTENV_PKI"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$dir/$name.key" -out "$dir/$name.csr" \
    -subj "$subj" 2>/dev/null
  printf '%s\n' "$ext" >"$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" \
    -set_serial "0x$(openssl rand -hex 16)" -days 3650 -sha256 \
    -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
  rm -f "$dir/$name.csr" "$dir/$name.ext"
}

gen_pki() {
  local dir="$TESTENV_PKI"
  rm -rf "$dir"
  mkdir -p "$dir"
  chmod 700 "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.crt" \
    -days 3650 -sha256 -subj "/CN=alb-testenv-ca" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" 2>/dev/null
  sign_cert apiserver "/CN=kube-apiserver" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,IP:0:0:0:0:0:0:0:1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  sign_cert admin "/O=system:masters/CN=testenv-admin" \
"basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth"
  openssl genrsa -out "$dir/sa.key" 2048 2>/dev/null
  openssl rsa -in "$dir/sa.key" -pubout -out "$dir/sa.pub" 2>/dev/null
  # Stable, documented copies next to env.sh.
  cp "$dir/ca.crt" "$TESTENV_DIR/kube-ca.crt"
  cp "$dir/admin.crt" "$TESTENV_DIR/admin.crt"
  cp "$dir/admin.key" "$TESTENV_DIR/admin.key"
  chmod 600 "$TESTENV_DIR/admin.key"
}

b64() { base64 <"$1" | tr -d '\n'; }

# write_kubeconfig SERVER_URL: admin kubeconfig with embedded certs.
write_kubeconfig() {
  local server="$1" out="$TESTENV_DIR/kubeconfig"
  (umask 077 && : >"$out.tmp")
  cat >"$out.tmp" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: testenv
  cluster:
    server: $server
    certificate-authority-data: $(b64 "$TESTENV_PKI/ca.crt")
users:
- name: testenv-admin
  user:
    client-certificate-data: $(b64 "$TESTENV_PKI/admin.crt")
    client-key-data: $(b64 "$TESTENV_PKI/admin.key")
contexts:
- name: testenv
  context:
    cluster: testenv
    user: testenv-admin
    namespace: default
current-context: testenv
EOF
  mv -f "$out.tmp" "$out"
}
