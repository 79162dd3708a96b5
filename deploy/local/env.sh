#!/usr/bin/env bash
# Addresses, ports and paths of the local stack. Every value can be overridden
# by exporting it before sourcing/running this file.
#   source deploy/local/env.sh     # in scripts
#   deploy/local/env.sh --print    # dotenv for Node tests (KEY=value lines)

: "${RF_REPO_ROOT:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${RF_CACHE_DIR:=$HOME/.cache/resilience-fabric}"   # downloads/builds, outside the repo
: "${RF_STACK_DIR:=$RF_REPO_ROOT/.stack}"             # data, logs, pid files
: "${RF_HOST:=127.0.0.1}"
: "${RF_START_TIMEOUT:=180}"                          # seconds to become healthy
: "${RF_STOP_TIMEOUT:=30}"                            # seconds before SIGKILL

# postgres
: "${RF_PG_HOST:=$RF_HOST}"
: "${RF_PG_PORT:=55432}"
: "${RF_PG_USER:=rf}"
: "${RF_PG_PASSWORD:=rf}"
: "${RF_PG_SERVICES:=inventory drift compliance remediation ledger recovery quantum gateway}"
: "${RF_PG_URL:=postgresql://$RF_PG_USER:$RF_PG_PASSWORD@$RF_PG_HOST:$RF_PG_PORT}" # + /<database>

# kafka
: "${RF_KAFKA_VERSION:=4.3.1}"
: "${RF_KAFKA_PORT:=19092}"
: "${RF_KAFKA_CONTROLLER_PORT:=19093}"
: "${RF_KAFKA_BROKERS:=$RF_HOST:$RF_KAFKA_PORT}"
# Fixed KRaft cluster id (base64 of uuid5 "resilience-fabric.local") so
# storage formatting is reproducible.
: "${RF_KAFKA_CLUSTER_ID:=RjT_qEgxVnS77IA6XOZSNA}"
: "${RF_KAFKA_HEAP:=1g}"

# registry (Apicurio, Confluent-compatible API under /apis/ccompat/v7)
: "${RF_REGISTRY_VERSION:=3.0.9}"
: "${RF_REGISTRY_PORT:=18081}"
: "${RF_REGISTRY_BASE_URL:=http://$RF_HOST:$RF_REGISTRY_PORT}"
: "${RF_REGISTRY_URL:=$RF_REGISTRY_BASE_URL/apis/ccompat/v7}"   # Confluent-compatible API, as services expect
: "${RF_REGISTRY_DB:=rf_registry}"
: "${RF_REGISTRY_HEAP:=512m}"

# temporal (CLI dev server)
: "${RF_TEMPORAL_VERSION:=1.5.1}"
: "${RF_TEMPORAL_PORT:=17233}"
: "${RF_TEMPORAL_UI_PORT:=18233}"
: "${RF_TEMPORAL_ADDRESS:=$RF_HOST:$RF_TEMPORAL_PORT}"
: "${RF_TEMPORAL_NAMESPACE:=default}"
: "${RF_TEMPORAL_UI_URL:=http://$RF_HOST:$RF_TEMPORAL_UI_PORT}"
: "${RF_TEMPORAL_BIN:=$RF_CACHE_DIR/bin/temporal}"

# opa (CLI only, no server)
: "${RF_OPA_VERSION:=1.10.0}"
: "${RF_OPA_BIN:=$RF_CACHE_DIR/bin/opa}"

# moto (AWS API peer for the AWS connector's tests; PyPI moto[server] in a venv)
: "${RF_MOTO_VERSION:=5.2.5}"
: "${RF_MOTO_PORT:=15000}"
: "${RF_AWS_ENDPOINT:=http://$RF_HOST:$RF_MOTO_PORT}"

# vcsim (govmomi vCenter simulator for the vSphere connector's tests)
: "${RF_VCSIM_VERSION:=0.46.3}"   # the last govmomi release that ships vcsim in its main module
: "${RF_VCSIM_PORT:=18989}"
: "${RF_VCSIM_URL:=http://$RF_HOST:$RF_VCSIM_PORT}"
: "${RF_VCSIM_USERNAME:=user}"
: "${RF_VCSIM_PASSWORD:=pass}"
: "${RF_VCSIM_BIN:=$RF_CACHE_DIR/bin/vcsim}"

# What Node tests consume (env.sh --print).
RF_PRINT_VARS=(
  RF_STACK_DIR RF_CACHE_DIR
  RF_PG_HOST RF_PG_PORT RF_PG_USER RF_PG_PASSWORD RF_PG_URL
  RF_KAFKA_BROKERS
  RF_REGISTRY_BASE_URL RF_REGISTRY_URL
  RF_TEMPORAL_ADDRESS RF_TEMPORAL_NAMESPACE RF_TEMPORAL_UI_URL
  RF_OPA_BIN
  RF_AWS_ENDPOINT RF_VCSIM_URL RF_VCSIM_USERNAME RF_VCSIM_PASSWORD
)
# Exported so child processes (tests, tools) see the same values.
export RF_REPO_ROOT RF_START_TIMEOUT RF_STOP_TIMEOUT RF_HOST RF_PG_SERVICES \
  RF_KAFKA_VERSION RF_KAFKA_PORT RF_KAFKA_CONTROLLER_PORT RF_KAFKA_CLUSTER_ID RF_KAFKA_HEAP \
  RF_REGISTRY_VERSION RF_REGISTRY_PORT RF_REGISTRY_DB RF_REGISTRY_HEAP \
  RF_TEMPORAL_VERSION RF_TEMPORAL_PORT RF_TEMPORAL_UI_PORT RF_TEMPORAL_BIN \
  RF_OPA_VERSION RF_MOTO_VERSION RF_MOTO_PORT RF_VCSIM_VERSION RF_VCSIM_PORT RF_VCSIM_BIN \
  "${RF_PRINT_VARS[@]}"

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  set -euo pipefail
  case "${1:-}" in
    --print) for v in "${RF_PRINT_VARS[@]}"; do printf '%s=%s\n' "$v" "${!v}"; done ;;
    *) echo "usage: $0 --print   (or source it)" >&2; exit 2 ;;
  esac
fi
