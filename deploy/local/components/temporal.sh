#!/usr/bin/env bash
# Temporal CLI dev server (SQLite file under .stack/temporal), built once with
# `go install` into $RF_CACHE_DIR/bin.

TEMPORAL_DB="$RF_STACK_DIR/temporal/temporal.db"

temporal_port() { echo "$RF_TEMPORAL_PORT"; }
temporal_match() { echo "$TEMPORAL_DB"; }

temporal_start() {
  rf_require_free_port "$RF_TEMPORAL_PORT" RF_TEMPORAL_PORT
  rf_require_free_port "$RF_TEMPORAL_UI_PORT" RF_TEMPORAL_UI_PORT
  rf_go_install "$RF_TEMPORAL_BIN" "github.com/temporalio/cli/cmd/temporal@v$RF_TEMPORAL_VERSION"
  mkdir -p "$(dirname "$TEMPORAL_DB")"
  rf_spawn temporal "$RF_TEMPORAL_BIN" server start-dev \
    --ip "$RF_HOST" --port "$RF_TEMPORAL_PORT" --ui-port "$RF_TEMPORAL_UI_PORT" \
    --db-filename "$TEMPORAL_DB" --log-level warn
}

temporal_healthy() {
  "$RF_TEMPORAL_BIN" operator cluster health --address "$RF_TEMPORAL_ADDRESS" \
    --command-timeout 5s >/dev/null 2>&1
}
