#!/usr/bin/env bash
# Run a Kafka CLI class against the local stack with the cached jars, like
# Kafka's bin/kafka-run-class.sh. Examples:
#   deploy/local/kafka/run-class.sh org.apache.kafka.tools.TopicCommand \
#     --bootstrap-server 127.0.0.1:19092 --create --topic demo
#   deploy/local/kafka/run-class.sh org.apache.kafka.tools.ConsoleProducer ...
#   deploy/local/kafka/run-class.sh org.apache.kafka.tools.consumer.ConsoleConsumer ...
set -euo pipefail

RF_LOCAL_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$RF_LOCAL_DIR/env.sh"
source "$RF_LOCAL_DIR/lib/common.sh"
source "$RF_LOCAL_DIR/components/kafka.sh"

(($# > 0)) || { echo "usage: $0 MAIN_CLASS [ARGS...]" >&2; exit 2; }
[[ -f "$KAFKA_HOME/.complete" ]] || rf_die "Kafka jars not cached yet: run deploy/local/stack.sh up kafka"
kafka_cli_cmd
exec "${KAFKA_CLI[@]}" "$@"
