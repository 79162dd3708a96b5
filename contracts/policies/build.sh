#!/usr/bin/env bash
# Compiles the Rego policies into the wasm bundle the in-process gate loads (libs/platform/policy).
#
#   contracts/policies/build.sh [--check | --no-record] [--sign KEY.pem] [OUTPUT]
#
#   OUTPUT       where to write the bundle; default .stack/policy/bundle.tar.gz (never committed)
#   (default)    build, then record the bundle's hashes in contracts/policies/bundle.sha256
#   --check      build, then fail if the hashes differ from bundle.sha256 (CI: the committed hash
#                must name the bundle the committed Rego compiles to)
#   --no-record  build only, leaving bundle.sha256 alone (benchmarks, experiments)
#   --sign KEY   also write OUTPUT.sig, the raw 64-byte ed25519 signature of OUTPUT made with the
#                PEM private key KEY; gates configured with the public key accept nothing else
#
# Every package under contracts/policies that defines `decision` becomes an entrypoint
# (rf/<package>/decision); *_test.rego files stay out of the bundle. `opa build` writes its tar
# entries with a fixed date and order, so for one opa version the bundle is byte-for-byte
# reproducible: bundle.sha256 pins that version too.
set -euo pipefail

POLICY_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$POLICY_DIR/../.." && pwd)
# shellcheck source=SCRIPTDIR/../../deploy/local/env.sh
source "$REPO_ROOT/deploy/local/env.sh"
HASH_FILE="$POLICY_DIR/bundle.sha256"

usage() {
  echo "usage: $0 [--check | --no-record] [--sign KEY.pem] [OUTPUT]" >&2
  exit 2
}

check=false
record=true
key=""
output=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --check) check=true ;;
    --no-record) record=false ;;
    --sign)
      [[ $# -ge 2 ]] || usage
      key="$2"
      shift
      ;;
    -h | --help) usage ;;
    -*) usage ;;
    *)
      [[ -z "$output" ]] || usage
      output="$1"
      ;;
  esac
  shift
done
output="${output:-$RF_STACK_DIR/policy/bundle.tar.gz}"

fail() {
  echo "build.sh: $*" >&2
  exit 1
}

[[ -x "$RF_OPA_BIN" ]] || fail "opa not found at $RF_OPA_BIN; run deploy/local/stack.sh up opa"
opa_version=$("$RF_OPA_BIN" version | sed -n 's/^Version: //p')
[[ "$opa_version" == "$RF_OPA_VERSION" ]] ||
  fail "opa $opa_version found, $RF_OPA_VERSION pinned: the bundle hash depends on the compiler version"

# rf/<package path>/decision for each non-test file that defines a decision, in a stable order.
entrypoints=()
while IFS= read -r entrypoint; do
  entrypoints+=("$entrypoint")
done < <(
  cd "$POLICY_DIR"
  find . -name '*.rego' ! -name '*_test.rego' -print0 | sort -z |
    xargs -0 grep -l '^decision :=' |
    xargs sed -n 's/^package \([a-z0-9_.]*\)$/\1/p' |
    tr . / | sed 's|$|/decision|' | LC_ALL=C sort -u
)
[[ ${#entrypoints[@]} -gt 0 ]] || fail "no package under $POLICY_DIR defines decision"

mkdir -p "$(dirname "$output")"
output=$(cd "$(dirname "$output")" && pwd)/$(basename "$output")
tmp=$(mktemp "$output.XXXXXX")
trap 'rm -f "$tmp" "$tmp.sig"' EXIT

args=(build -t wasm --ignore '*_test.rego' -o "$tmp")
for e in "${entrypoints[@]}"; do args+=(-e "$e"); done
(cd "$POLICY_DIR" && "$RF_OPA_BIN" "${args[@]}" .)

bundle_sha=$(sha256sum "$tmp" | cut -d' ' -f1)
wasm_sha=$(tar -P -xzOf "$tmp" /policy.wasm | sha256sum | cut -d' ' -f1)
hashes=$(
  printf '# opa %s, entrypoints: %s\n' "$RF_OPA_VERSION" "${entrypoints[*]}"
  printf '%s  bundle.tar.gz\n' "$bundle_sha"
  printf '%s  policy.wasm\n' "$wasm_sha"
)

if [[ -n "$key" ]]; then
  [[ -r "$key" ]] || fail "cannot read signing key $key"
  openssl pkeyutl -sign -inkey "$key" -rawin -in "$tmp" -out "$tmp.sig"
fi
# The signature lands first: a watcher that sees the new bundle also finds its signature.
[[ -z "$key" ]] || mv -f "$tmp.sig" "$output.sig"
chmod 0644 "$tmp"
mv -f "$tmp" "$output"

if $check; then
  [[ -f "$HASH_FILE" ]] || fail "$HASH_FILE is missing; run $0 and commit it"
  if [[ "$(cat "$HASH_FILE")" != "$hashes" ]]; then
    diff <(cat "$HASH_FILE") <(echo "$hashes") >&2 || true
    fail "the policy bundle drifted from bundle.sha256; run $0 and commit bundle.sha256"
  fi
elif $record; then
  echo "$hashes" >"$HASH_FILE"
fi
echo "bundle $output sha256 $bundle_sha (${#entrypoints[@]} entrypoints)"
