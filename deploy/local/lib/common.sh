#!/usr/bin/env bash
# Shared helpers for deploy/local scripts. Sourced, never executed.
#
# Each components/NAME.sh defines NAME_port (or "-") and NAME_healthy (a real
# protocol check), plus either
#   server:  NAME_match (string its command line contains, guards against
#            recycled pids) and NAME_start (fetch/build/init, then rf_spawn);
#            optional NAME_deps, NAME_after_up (idempotent provisioning),
#            NAME_stop_signal (default TERM)
#   CLI:     NAME_ensure (make the binary available) and NAME_info.

rf_log_file() { echo "$RF_STACK_DIR/logs/$1.log"; }
rf_pid_file() { echo "$RF_STACK_DIR/run/$1.pid"; }

rf_say() { echo "stack: $*"; }

# The single stderr line for a missing prerequisite or a hard error.
rf_die() {
  echo "stack: $*" >&2
  exit 1
}

rf_need_cmd() { # CMD HOW_TO_FIX
  command -v "$1" >/dev/null 2>&1 || rf_die "'$1' not found: $2"
}

rf_init_dirs() {
  mkdir -p "$RF_STACK_DIR/logs" "$RF_STACK_DIR/run" "$RF_CACHE_DIR"
}

# Print the pid of NAME if its pid file points at a live process of that
# component; checking the command line guards against recycled pids.
rf_pid() {
  local name=$1 pid_file pid
  pid_file=$(rf_pid_file "$name")
  [[ -s "$pid_file" ]] || return 1
  pid=$(<"$pid_file")
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$("${name}_match")" || return 1
  echo "$pid"
}

# True when something accepts TCP connections on HOST:PORT.
rf_port_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# Refuse to start when a foreign process already holds one of our ports.
rf_require_free_port() { # PORT VAR_NAME
  if rf_port_open "$RF_HOST" "$1"; then
    rf_die "port $1 is in use by another process: stop it or set $2 to a free port"
  fi
}

# Start a long-running server in its own session (immune to Ctrl-C of the
# caller and to terminal hangup), appending output to its log.
rf_spawn() { # NAME CMD...
  local name=$1 log
  shift
  log=$(rf_log_file "$name")
  printf '\n=== %s starting: %s\n' "$(date -Is)" "$*" >>"$log"
  # 9>&-: the server must not inherit (and so hold) stack.sh's lock fd.
  setsid "$@" </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$(rf_pid_file "$name")"
}

rf_print_log_tail() {
  local log
  log=$(rf_log_file "$1")
  echo "stack: last 30 lines of $log:" >&2
  tail -n 30 "$log" >&2 2>/dev/null || true
}

# Poll NAME_healthy until it passes; fail early if the process dies.
rf_wait_healthy() { # NAME
  local name=$1 deadline=$((SECONDS + RF_START_TIMEOUT))
  until "${name}_healthy"; do
    if ! rf_pid "$name" >/dev/null; then
      echo "stack: $name exited during startup" >&2
      rf_print_log_tail "$name"
      return 1
    fi
    if ((SECONDS >= deadline)); then
      echo "stack: $name not healthy after ${RF_START_TIMEOUT}s (RF_START_TIMEOUT)" >&2
      rf_print_log_tail "$name"
      rf_stop "$name" >/dev/null
      return 1
    fi
    sleep 1
  done
}

# Graceful stop, then SIGKILL after RF_STOP_TIMEOUT.
rf_stop() { # NAME
  local name=$1 pid signal=TERM deadline
  if ! pid=$(rf_pid "$name"); then
    rm -f "$(rf_pid_file "$name")"
    rf_say "$name already down"
    return 0
  fi
  declare -F "${name}_stop_signal" >/dev/null && signal=$("${name}_stop_signal")
  kill -s "$signal" "$pid" 2>/dev/null || true
  deadline=$((SECONDS + RF_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then
    rf_say "$name did not stop within ${RF_STOP_TIMEOUT}s, killing pid $pid"
    kill -s KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$(rf_pid_file "$name")"
  rf_say "$name stopped"
}

# Print the JAVA_HOME of a JDK >= 17: $JAVA_HOME, then the Debian JDK 17,
# then any JDK under /usr/lib/jvm.
rf_java_home() {
  local home major
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/*; do
    [[ -n "$home" && -x "$home/bin/java" ]] || continue
    major=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1)
    if [[ -n "$major" ]] && ((major >= 17)); then
      echo "$home"
      return 0
    fi
  done
  rf_die "no JDK >= 17 found: apt-get install -y openjdk-17-jdk-headless (or set JAVA_HOME)"
}

# Resolve the java binary once per run (rf_java_home spawns `java -version`).
# `|| exit 1` also aborts where errexit is suspended (conditions, || lists).
rf_use_java() {
  local home
  [[ -n "${RF_JAVA:-}" ]] && return 0
  home=$(rf_java_home) || exit 1
  RF_JAVA=$home/bin/java
}

# Build a Go CLI into $RF_CACHE_DIR/bin unless a binary of that module
# version is already there (go install builds report version 0.0.0-DEV, so
# the embedded module version is read with `go version -m`).
rf_go_install() { # BIN_PATH MODULE_PATH@VERSION
  local bin=$1 pkg=$2 module version
  module=${pkg%@*} version=${pkg##*@}
  if [[ -x "$bin" ]]; then
    if ! command -v go >/dev/null 2>&1 ||
      go version -m "$bin" | grep -qE "^\s+mod\s+\S+\s+$version\s"; then
      return 0
    fi
  fi
  rf_need_cmd go "install Go >= 1.25 and put it on PATH (needed once to build $module)"
  rf_say "building $(basename "$bin") $version with go install (first run only, takes minutes)"
  mkdir -p "$(dirname "$bin")"
  GOBIN=$(dirname "$bin") go install "$pkg" >>"$(rf_log_file "$(basename "$bin")-build")" 2>&1 ||
    rf_die "go install $pkg failed: see $(rf_log_file "$(basename "$bin")-build")"
}
