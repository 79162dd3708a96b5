#!/usr/bin/env bash
# moto's standalone server: a real AWS API peer (EC2, STS) for the AWS
# connector's tests. Installed from PyPI into a venv under RF_CACHE_DIR; its
# state lives in memory, so every start begins with an empty account.

MOTO_VENV="$RF_CACHE_DIR/moto-venv"
MOTO_BIN="$MOTO_VENV/bin/moto_server"

moto_port() { echo "$RF_MOTO_PORT"; }
moto_match() { echo "$MOTO_BIN"; }

moto_installed_version() {
  "$MOTO_VENV/bin/python" -c 'import moto; print(moto.__version__)' 2>/dev/null
}

moto_install() {
  if [[ -x "$MOTO_BIN" && "$(moto_installed_version)" == "$RF_MOTO_VERSION" ]]; then return 0; fi
  rf_need_cmd python3 "apt-get install -y python3 python3-venv"
  local log
  log=$(rf_log_file moto-build)
  rf_say "moto: installing moto[server] $RF_MOTO_VERSION from PyPI (first run only)"
  if [[ ! -x "$MOTO_VENV/bin/pip" ]]; then
    python3 -m venv "$MOTO_VENV" >>"$log" 2>&1 ||
      rf_die "cannot create $MOTO_VENV: apt-get install -y python3-venv (see $log)"
  fi
  "$MOTO_VENV/bin/pip" install --quiet "moto[server]==$RF_MOTO_VERSION" >>"$log" 2>&1 ||
    rf_die "pip install moto[server]==$RF_MOTO_VERSION failed: see $log"
}

moto_start() {
  rf_require_free_port "$RF_MOTO_PORT" RF_MOTO_PORT
  moto_install
  rf_spawn moto "$MOTO_BIN" -H "$RF_HOST" -p "$RF_MOTO_PORT"
}

# A real EC2 call (moto does not check signatures), not just an open port.
moto_healthy() {
  curl -fsS -m 5 -o /dev/null -X POST \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/ec2/aws4_request' \
    --data 'Action=DescribeRegions&Version=2016-11-15' "$RF_AWS_ENDPOINT/" 2>/dev/null
}
