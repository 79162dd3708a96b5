#!/usr/bin/env bash
# Lints and renders the Helm chart helm/resilience-fabric.
#
#   deploy/helm-check.sh
#
# helm is taken from RF_HELM, else the cache ($RF_CACHE_DIR/bin/helm), else a v3 helm
# on PATH; when there is none it is built from the Go module proxy into the cache
# (needs Go; a few minutes on 2 cores, first run only).
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
chart="$repo_root/helm/resilience-fabric"
cache_dir="${RF_CACHE_DIR:-$HOME/.cache/resilience-fabric}"
helm_version="${RF_HELM_VERSION:-v3.22.0}"
# A helm built from source defaults to Kubernetes 1.20, below the chart's kubeVersion.
kube_version="${RF_KUBE_VERSION:-1.30.0}"

say() { echo "helm-check: $*" >&2; }
die() { say "$*"; exit 1; }

find_helm() {
  if [[ -x "$cache_dir/bin/helm" ]]; then
    echo "$cache_dir/bin/helm"
  elif command -v helm >/dev/null && [[ "$(helm version --template '{{.Version}}' 2>/dev/null)" == v3.* ]]; then
    command -v helm
  else
    return 1
  fi
}

build_helm() {
  command -v go >/dev/null || die "no helm found and no Go toolchain to build one: install Go, or set RF_HELM"
  say "building helm $helm_version into $cache_dir/bin (first run only)"
  mkdir -p "$cache_dir/bin"
  GOBIN="$cache_dir/bin" GOFLAGS=-mod=mod go install "helm.sh/helm/v3/cmd/helm@$helm_version" ||
    die "go install helm.sh/helm/v3/cmd/helm@$helm_version failed"
  echo "$cache_dir/bin/helm"
}

if [[ -n "${RF_HELM:-}" ]]; then
  [[ -x "$RF_HELM" ]] || die "RF_HELM=$RF_HELM is not executable"
  helm=$RF_HELM
else
  helm=$(find_helm) || helm=$(build_helm)
fi
say "using $helm ($("$helm" version --template '{{.Version}}'))"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Counts the rendered objects of one kind.
count_kind() { grep -c "^kind: $2\$" "$1" || true; }

expect_count() { # FILE KIND N
  local got
  got=$(count_kind "$1" "$2")
  [[ "$got" == "$3" ]] || die "$(basename "$1"): expected $3 $2 objects, rendered $got"
}

render() { # OUT [helm args...]
  local out=$1
  shift
  "$helm" template rf "$chart" --namespace rf --kube-version "$kube_version" "$@" >"$out" ||
    die "helm template $* failed"
}

# 1. lint, default values and the optional features (strict: warnings fail)
"$helm" lint --strict "$chart" >"$tmp/lint-default.log" ||
  { cat "$tmp/lint-default.log" >&2; die "helm lint (default values) failed"; }
"$helm" lint --strict "$chart" -f "$chart/ci/full-values.yaml" >"$tmp/lint-full.log" ||
  { cat "$tmp/lint-full.log" >&2; die "helm lint (ci/full-values.yaml) failed"; }

# 2. default values: eight services and the remediation worker, no optional objects
render "$tmp/default.yaml"
for kind in Service ConfigMap PodDisruptionBudget; do expect_count "$tmp/default.yaml" "$kind" 8; done
expect_count "$tmp/default.yaml" Deployment 9
grep -q 'dist/services/remediation/src/worker.js' "$tmp/default.yaml" || die "the remediation worker Deployment is missing"
expect_count "$tmp/default.yaml" ServiceAccount 1
expect_count "$tmp/default.yaml" ServiceMonitor 0
expect_count "$tmp/default.yaml" Ingress 0
grep -q 'readOnlyRootFilesystem: true' "$tmp/default.yaml" || die "containers must run with a read-only root filesystem"
grep -q 'path: /readyz' "$tmp/default.yaml" || die "readiness probe on /readyz missing"
[[ $(grep -c 'RF_TEMPORAL_ADDRESS' "$tmp/default.yaml") == 2 ]] ||
  die "exactly remediation and recovery should receive RF_TEMPORAL_ADDRESS"

# 3. optional features: ServiceMonitor, Ingress, a disabled service, per-service overrides
render "$tmp/full.yaml" -f "$chart/ci/full-values.yaml"
expect_count "$tmp/full.yaml" Deployment 8
expect_count "$tmp/full.yaml" ServiceMonitor 7
expect_count "$tmp/full.yaml" Ingress 1
expect_count "$tmp/full.yaml" PodDisruptionBudget 6
if grep -q 'RF_UPSTREAM_QUANTUM_URL' "$tmp/full.yaml"; then die "gateway must not route to a disabled service"; fi

# 4. production settings come from references, never inline secrets
grep -q 'name: RF_GATEWAY_PRINCIPAL_SIGNING_KEY' "$tmp/default.yaml" || die "the gateway principal signing key is not wired"
grep -q 'name: RF_LEDGER_SIGNING_KEY' "$tmp/default.yaml" || die "the ledger signing key is not wired"
[[ $(grep -c 'RF_POLICY_BUNDLE: /etc/resilience-fabric/policy/bundle.tar.gz' "$tmp/default.yaml") == 6 ]] ||
  die "gateway, inventory, drift, compliance, ledger and remediation should load the mounted policy bundle"

# 5. a missing database secret name is refused
if "$helm" template rf "$chart" --kube-version "$kube_version" --set database.existingSecret= >/dev/null 2>&1; then
  die "rendering without database.existingSecret should fail"
fi

say "ok: lint (default, ci/full-values.yaml), template (default, ci/full-values.yaml, missing secret refused)"
