#!/usr/bin/env bash
# Runs the eight services from the build in dist/ against the local stack.
#
#   deploy/local/services.sh up      start every service (idempotent) and wait until each is ready
#   deploy/local/services.sh down    stop them gracefully
#   deploy/local/services.sh status  one line per service; non-zero if any is not ready
set -euo pipefail

RF_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
source "$RF_LOCAL_DIR/env.sh"
# shellcheck source=lib/common.sh
source "$RF_LOCAL_DIR/lib/common.sh"

declare -A PORTS=([gateway]=3000 [inventory]=3101 [drift]=3102 [compliance]=3103 [remediation]=3104 [ledger]=3105 [recovery]=3106 [quantum]=3107)
SERVICES=(inventory drift compliance remediation ledger recovery quantum gateway)

url_of() { echo "http://$RF_HOST:${PORTS[$1]}"; }

# The component hooks lib/common.sh drives: a service is a component named svc-<name>.
for s in "${SERVICES[@]}"; do
  eval "svc-${s}_match() { echo 'dist/services/$s/src/main.js'; }"
  eval "svc-${s}_healthy() { curl -fsS -o /dev/null --max-time 2 '$(url_of "$s")/readyz' 2>/dev/null; }"
done

# The remediation Temporal worker runs beside its service, from the same build (src/worker.ts).
svc-remediation-worker_match() { echo 'dist/services/remediation/src/worker.js'; }

start_one() {
  local s=$1 commit
  rf_pid "svc-$s" >/dev/null && return 0
  [[ -f "$RF_REPO_ROOT/dist/services/$s/src/main.js" ]] || rf_die "no build of $s in dist/: run make build"
  commit=$(git -C "$RF_REPO_ROOT" rev-parse --short=12 HEAD 2>/dev/null || true)
  (
    cd "$RF_REPO_ROOT"
    export TS_NODE_BASEURL="$RF_REPO_ROOT/dist" RF_HTTP_HOST="$RF_HOST" RF_HTTP_PORT="${PORTS[$s]}" \
      RF_DATABASE_URL="$RF_PG_URL/rf_$s"
    [[ -z "$commit" ]] || export RF_BUILD_COMMIT="$commit"
    rf_spawn "svc-$s" node -r tsconfig-paths/register "dist/services/$s/src/main.js"
    if [[ $s == remediation ]] && ! rf_pid svc-remediation-worker >/dev/null; then
      rf_spawn svc-remediation-worker node -r tsconfig-paths/register dist/services/remediation/src/worker.js
    fi
  )
}

cmd_up() {
  rf_init_dirs
  local s
  # Every service's policy gate loads this bundle (dev mode: unsigned is accepted); without it, fail-closed.
  "$RF_REPO_ROOT/contracts/policies/build.sh" --no-record "$RF_REPO_ROOT/.stack/policy/bundle.tar.gz" >/dev/null
  for s in "${SERVICES[@]}"; do start_one "$s"; done
  for s in "${SERVICES[@]}"; do rf_wait_healthy "svc-$s" || exit 1; done
  echo
  for s in "${SERVICES[@]}"; do printf '  %-12s %s\n' "$s" "$(url_of "$s")"; done
  printf '  %-12s %s\n' temporal-ui "$RF_TEMPORAL_UI_URL" registry "$RF_REGISTRY_URL" kafka "$RF_KAFKA_BROKERS"
  echo
  echo "All services ready. Check them with: npx rf health"
}

cmd_down() {
  local s pid
  # Signal all first so they drain in parallel, then wait for each.
  for s in "${SERVICES[@]}"; do
    if pid=$(rf_pid "svc-$s"); then kill -TERM "$pid" 2>/dev/null || true; fi
  done
  for s in "${SERVICES[@]}"; do rf_stop "svc-$s" >/dev/null; done
  rf_stop svc-remediation-worker >/dev/null
}

cmd_status() {
  local s pid state rc=0
  for s in "${SERVICES[@]}"; do
    if ! pid=$(rf_pid "svc-$s"); then
      pid=- state=down rc=1
    elif "svc-${s}_healthy"; then
      state=ready
    else
      state=not-ready rc=1
    fi
    printf '%-12s %-10s %s pid=%s\n' "$s" "$state" "$(url_of "$s")" "$pid"
  done
  return $rc
}

case "${1:-}" in
  up) cmd_up ;;
  down) cmd_down ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
