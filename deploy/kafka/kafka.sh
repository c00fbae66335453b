#!/usr/bin/env bash
# A single-node Apache Kafka (KRaft, broker + controller) on 127.0.0.1 for development and tests.
#   kafka.sh fetch    download the broker jars from Maven Central into deploy/kafka/libs (cached)
#   kafka.sh start    format storage if needed and start; returns once the broker answers
#   kafka.sh stop     stop it (SIGTERM, then SIGKILL after 20 s)
#   kafka.sh status   exit 0 when running
# Ports: KAFKA_PORT (default 19092) and KAFKA_CONTROLLER_PORT (19093), so that a Kafka of your own on
# 9092 is left alone. State lives in .kafka/ at the repository root (KAFKA_HOME_DIR to move it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libs="$here/libs"
home="${KAFKA_HOME_DIR:-$root/.kafka}"
port="${KAFKA_PORT:-19092}"
controller_port="${KAFKA_CONTROLLER_PORT:-19093}"
data="$home/data"
pidfile="$home/kafka.pid"
logfile="$home/kafka.log"
classpath="$libs/*"

say() { printf 'kafka.sh: %s\n' "$*" >&2; }

need() {
  command -v "$1" >/dev/null 2>&1 || { say "$1 is required ($2)"; exit 1; }
}

fetch() {
  if [ -f "$libs/.complete" ]; then return 0; fi
  need mvn "Maven fetches the broker jars from Maven Central"
  need java "Java 17 runs the broker"
  say "fetching Apache Kafka jars into $libs (first run only)"
  rm -rf "$libs"
  mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DoutputDirectory="$libs" -DincludeScope=runtime
  if ls "$libs" | grep -q '^logback'; then say "a logback jar landed in $libs: it would clash with reload4j"; exit 1; fi
  ls "$libs"/kafka_2.13-*.jar >/dev/null
  touch "$libs/.complete"
}

running() {
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

answers() {
  # The broker's port accepts connections.
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

write_config() {
  mkdir -p "$home"
  cat >"$home/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
log.retention.hours=24
PROPS
  cat >"$home/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$home/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka=INFO
log4j.logger.org.apache.kafka=INFO
PROPS
}

format_storage() {
  local id_file="$home/cluster.id"
  if [ -f "$data/meta.properties" ] && [ -f "$id_file" ] && grep -q "cluster.id=$(cat "$id_file")" "$data/meta.properties"; then
    return 0
  fi
  rm -rf "$data"
  java -Dlog4j.configuration="file:$home/log4j.properties" -cp "$classpath" kafka.tools.StorageTool random-uuid >"$id_file"
  java -Dlog4j.configuration="file:$home/log4j.properties" -cp "$classpath" kafka.tools.StorageTool format \
    -t "$(cat "$id_file")" -c "$home/server.properties" >>"$logfile" 2>&1
}

start() {
  if running && answers; then say "already running on 127.0.0.1:$port"; return 0; fi
  if answers; then
    # Another broker of ours (another checkout) or the user's: use it rather than fail on the port.
    say "a Kafka broker already listens on 127.0.0.1:$port (not started from $home): using it"
    return 0
  fi
  fetch
  need java "Java 17 runs the broker"
  write_config
  format_storage
  : >"$logfile"
  nohup java -Xms256m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$home/log4j.properties" \
    -cp "$classpath" kafka.Kafka "$home/server.properties" >>"$logfile" 2>&1 &
  echo $! >"$pidfile"
  local deadline=$((SECONDS + ${KAFKA_START_TIMEOUT:-90}))
  until answers && grep -q "Kafka Server started" "$home/server.log" 2>/dev/null; do
    if ! running; then say "the broker exited during start-up; last lines of its logs:"; tail -n 30 "$logfile" "$home/server.log" >&2 2>/dev/null || true; exit 1; fi
    if [ "$SECONDS" -ge "$deadline" ]; then say "the broker did not answer within the timeout; last log lines:"; tail -n 30 "$home/server.log" >&2 || true; exit 1; fi
    sleep 0.5
  done
  say "running on 127.0.0.1:$port (pid $(cat "$pidfile"), logs in $home)"
}

stop() {
  if ! running; then rm -f "$pidfile"; say "not running"; return 0; fi
  local pid
  pid="$(cat "$pidfile")"
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then say "still running after 20 s: SIGKILL"; kill -KILL "$pid"; fi
  rm -f "$pidfile"
  say "stopped"
}

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  status) if answers; then echo "running on 127.0.0.1:$port"; else echo "not running"; exit 1; fi ;;
  *) echo "usage: $0 fetch|start|stop|status" >&2; exit 2 ;;
esac
