#!/usr/bin/env bash
# Runs a command with the local stack's addresses in its environment (see env.sh).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
exec "$@"
