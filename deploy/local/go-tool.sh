#!/usr/bin/env bash
# Runs a Go CLI from the cache, building it with `go install` on first use.
#   deploy/local/go-tool.sh MODULE@VERSION [ARGS...]
set -euo pipefail
RF_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=env.sh
source "$RF_LOCAL_DIR/env.sh"
# shellcheck source=lib/common.sh
source "$RF_LOCAL_DIR/lib/common.sh"
pkg=${1:?usage: go-tool.sh MODULE@VERSION [ARGS...]}
shift
bin="$RF_CACHE_DIR/bin/$(basename "${pkg%@*}")"
rf_init_dirs
rf_go_install "$bin" "$pkg" >&2
exec "$bin" "$@"
