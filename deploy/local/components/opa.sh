#!/usr/bin/env bash
# OPA is used as a CLI (policy evaluation in tests), not as a server: "up"
# means the pinned binary exists and runs.

opa_port() { echo -; }

opa_ensure() {
  rf_go_install "$RF_OPA_BIN" "github.com/open-policy-agent/opa@v$RF_OPA_VERSION"
}

opa_healthy() {
  "$RF_OPA_BIN" version >/dev/null 2>&1
}

opa_info() {
  "$RF_OPA_BIN" version 2>/dev/null | sed -n 's/^Version: //p'
}
