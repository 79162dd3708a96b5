#!/usr/bin/env bash
# Apicurio Registry 3 (Quarkus legacy-jar layout from the `all` zip on Maven
# Central) with SQL storage on the local PostgreSQL database RF_REGISTRY_DB,
# so schema ids survive restarts. Confluent-compatible API: /apis/ccompat/v7.

REGISTRY_HOME="$RF_CACHE_DIR/apicurio-registry-$RF_REGISTRY_VERSION"
REGISTRY_JAR="$REGISTRY_HOME/apicurio-registry-app-$RF_REGISTRY_VERSION-runner.jar"
REGISTRY_ZIP_URL="https://repo1.maven.org/maven2/io/apicurio/apicurio-registry-app/$RF_REGISTRY_VERSION/apicurio-registry-app-$RF_REGISTRY_VERSION-all.zip"

registry_port() { echo "$RF_REGISTRY_PORT"; }
registry_match() { echo "$REGISTRY_JAR"; }
registry_deps() { echo postgres; }

registry_fetch() {
  local zip="$REGISTRY_HOME.zip"
  [[ -f "$REGISTRY_JAR" ]] && return 0
  rf_need_cmd curl "apt-get install -y curl"
  rf_need_cmd unzip "apt-get install -y unzip"
  rf_say "registry: downloading Apicurio Registry $RF_REGISTRY_VERSION (~110 MB, first run only)"
  curl -fsSL --retry 3 -o "$zip" "$REGISTRY_ZIP_URL" ||
    rf_die "download of $REGISTRY_ZIP_URL failed: check access to repo1.maven.org"
  rm -rf "$REGISTRY_HOME.tmp"
  unzip -q "$zip" -d "$REGISTRY_HOME.tmp" || rf_die "cannot unzip $zip: delete it and re-run"
  rm -f "$zip"
  [[ -f "$REGISTRY_HOME.tmp/$(basename "$REGISTRY_JAR")" ]] ||
    rf_die "unexpected Apicurio zip layout: no $(basename "$REGISTRY_JAR") in $REGISTRY_ZIP_URL"
  rm -rf "$REGISTRY_HOME"
  mv "$REGISTRY_HOME.tmp" "$REGISTRY_HOME"
}

registry_start() {
  rf_use_java
  rf_require_free_port "$RF_REGISTRY_PORT" RF_REGISTRY_PORT
  postgres_healthy || rf_die "registry needs postgres: run '$0 up postgres' first"
  registry_fetch
  mkdir -p "$RF_STACK_DIR/registry"
  # cwd = state dir: Quarkus may write temporary files next to itself.
  # Pool sizes: the defaults (20 initial) are sized for production.
  (cd "$RF_STACK_DIR/registry" && rf_spawn registry env \
    QUARKUS_HTTP_HOST="$RF_HOST" \
    QUARKUS_HTTP_PORT="$RF_REGISTRY_PORT" \
    APICURIO_STORAGE_KIND=sql \
    APICURIO_STORAGE_SQL_KIND=postgresql \
    APICURIO_DATASOURCE_URL="jdbc:postgresql://$RF_PG_HOST:$RF_PG_PORT/$RF_REGISTRY_DB" \
    APICURIO_DATASOURCE_USERNAME="$RF_PG_USER" \
    APICURIO_DATASOURCE_PASSWORD="$RF_PG_PASSWORD" \
    APICURIO_DATASOURCE_JDBC_INITIAL_SIZE=2 \
    APICURIO_DATASOURCE_JDBC_MIN_SIZE=2 \
    APICURIO_DATASOURCE_JDBC_MAX_SIZE=20 \
    "$RF_JAVA" -Xmx"$RF_REGISTRY_HEAP" -jar "$REGISTRY_JAR")
}

registry_healthy() {
  curl -fsS -m 5 -o /dev/null "$RF_REGISTRY_BASE_URL/health/ready" 2>/dev/null &&
    curl -fsS -m 5 -o /dev/null "$RF_REGISTRY_URL/subjects" 2>/dev/null
}
