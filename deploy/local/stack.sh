#!/usr/bin/env bash
# Single-node local infrastructure for Resilience Fabric.
#
#   deploy/local/stack.sh up     [component...]   start (idempotent), wait for health
#   deploy/local/stack.sh down   [component...]   graceful stop, SIGKILL after RF_STOP_TIMEOUT
#   deploy/local/stack.sh status [--json] [component...]   non-zero if any is down
#
# Components: postgres kafka registry temporal opa moto vcsim (moto and vcsim
# are the AWS and vCenter API peers of the inventory connectors). Data and logs live in
# .stack/ (RF_STACK_DIR), downloads and builds in RF_CACHE_DIR; see env.sh.
set -euo pipefail

RF_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
source "$RF_LOCAL_DIR/env.sh"
# shellcheck source=lib/common.sh
source "$RF_LOCAL_DIR/lib/common.sh"

COMPONENTS=(postgres kafka registry temporal opa moto vcsim) # start order; down is the reverse
for c in "${COMPONENTS[@]}"; do
  # shellcheck source=/dev/null
  source "$RF_LOCAL_DIR/components/$c.sh"
done

usage() {
  echo "usage: $0 up|down|status [--json] [component...]   (components: ${COMPONENTS[*]})" >&2
  exit 2
}

is_server() { declare -F "${1}_start" >/dev/null; }

# Print the requested components in start order; WITH_DEPS adds what they need.
select_components() { # WITH_DEPS NAME...
  local with_deps=$1 c d
  local -A want=()
  shift
  (($# > 0)) || set -- "${COMPONENTS[@]}"
  for c in "$@"; do
    [[ " ${COMPONENTS[*]} " == *" $c "* ]] || rf_die "unknown component '$c' (known: ${COMPONENTS[*]})"
    want[$c]=1
    if [[ "$with_deps" == yes ]] && declare -F "${c}_deps" >/dev/null; then
      for d in $("${c}_deps"); do want[$d]=1; done
    fi
  done
  for c in "${COMPONENTS[@]}"; do
    if [[ -n "${want[$c]:-}" ]]; then echo "$c"; fi
  done
}

# Serialize up/down so two invocations cannot start the same server twice.
take_lock() {
  exec 9>"$RF_STACK_DIR/run/stack.lock"
  flock -w 600 9 || rf_die "another stack.sh up/down holds $RF_STACK_DIR/run/stack.lock"
}

up_one() {
  local name=$1 pid started=$SECONDS
  if ! is_server "$name"; then
    "${name}_ensure"
    "${name}_healthy" || rf_die "$name is installed but does not run: see $(rf_log_file "$name-build")"
    rf_say "$name ok ($("${name}_info"))"
    return 0
  fi
  if pid=$(rf_pid "$name"); then
    if "${name}_healthy"; then
      rf_say "$name ok (pid $pid, port $("${name}_port"))"
    else
      rf_say "$name running (pid $pid) but not healthy yet, waiting"
      rf_wait_healthy "$name" || exit 1
    fi
  else
    rm -f "$(rf_pid_file "$name")"
    rf_say "$name starting"
    "${name}_start"
    rf_wait_healthy "$name" || exit 1
    rf_say "$name up (pid $(rf_pid "$name"), port $("${name}_port"), $((SECONDS - started))s)"
  fi
  if declare -F "${name}_after_up" >/dev/null; then "${name}_after_up"; fi
}

cmd_up() {
  local c names started=$SECONDS
  names=$(select_components yes "$@")
  take_lock
  for c in $names; do up_one "$c"; done
  rf_say "all requested components healthy ($((SECONDS - started))s)"
}

cmd_down() {
  local c names
  names=$(select_components no "$@")
  take_lock
  names=$(tac <<<"$names")
  for c in $names; do
    if is_server "$c"; then rf_stop "$c"; fi
  done
}

# Fill STATE PID PORT INFO for one component.
probe() {
  local name=$1
  STATE=down PID=- PORT=$("${name}_port") INFO=
  if is_server "$name"; then
    if PID=$(rf_pid "$name"); then
      if "${name}_healthy"; then STATE=up; fi
    else
      PID=-
    fi
  elif "${name}_healthy"; then
    STATE=up INFO="version $("${name}_info")"
  fi
}

json_num_or_null() { if [[ "$1" =~ ^[0-9]+$ ]]; then echo "$1"; else echo null; fi; }

cmd_status() {
  local json=no c rc=0 sep='' args=() names
  for c in "$@"; do
    if [[ "$c" == --json ]]; then json=yes; else args+=("$c"); fi
  done
  names=$(select_components no "${args[@]}")
  [[ "$json" == yes ]] && printf '{'
  for c in $names; do
    probe "$c"
    [[ "$STATE" == up ]] || rc=1
    if [[ "$json" == yes ]]; then
      printf '%s"%s":{"state":"%s","port":%s,"pid":%s' "$sep" "$c" "$STATE" \
        "$(json_num_or_null "$PORT")" "$(json_num_or_null "$PID")"
      if [[ -n "$INFO" ]]; then printf ',"info":"%s"' "$INFO"; fi
      printf '}'
      sep=,
    else
      printf '%-9s %-5s port=%-6s pid=%-8s %s\n' "$c" "$STATE" "$PORT" "$PID" "$INFO"
    fi
  done
  [[ "$json" == yes ]] && printf '}\n'
  return "$rc"
}

main() {
  (($# > 0)) || usage
  local cmd=$1
  shift
  rf_init_dirs
  case "$cmd" in
    up) cmd_up "$@" ;;
    down) cmd_down "$@" ;;
    status) cmd_status "$@" ;;
    *) usage ;;
  esac
}

main "$@"
