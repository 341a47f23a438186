# Shared settings for the druid-harness scripts (sourced, not executed).
# Every value can be overridden from the environment; see README.md.

HARNESS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

mkdir -p "${DRUID_HARNESS_VAR:-$HARNESS_DIR/var}" "${DRUID_HARNESS_RUN:-$HARNESS_DIR/run}"
VAR_DIR="$(cd "${DRUID_HARNESS_VAR:-$HARNESS_DIR/var}" && pwd)"   # Druid data (absolute path)
RUN_DIR="$(cd "${DRUID_HARNESS_RUN:-$HARNESS_DIR/run}" && pwd)"   # logs and PID files
CLASSPATH_FILE="$HARNESS_DIR/target/classpath.txt"

PORT_BASE="${DRUID_HARNESS_PORT_BASE:-8080}"
COORDINATOR_PORT="${DRUID_HARNESS_COORDINATOR_PORT:-$((PORT_BASE + 1))}"  # also the Overlord
BROKER_PORT="${DRUID_HARNESS_BROKER_PORT:-$((PORT_BASE + 2))}"
HISTORICAL_PORT="${DRUID_HARNESS_HISTORICAL_PORT:-$((PORT_BASE + 3))}"
INDEXER_PORT="${DRUID_HARNESS_INDEXER_PORT:-$((PORT_BASE + 11))}"
ZK_PORT="${DRUID_HARNESS_ZK_PORT:-$((PORT_BASE + 100))}"
DERBY_PORT="${DRUID_HARNESS_DERBY_PORT:-$((PORT_BASE + 101))}"

# Settings of the cluster as bin/start would launch it now (from the environment).
settings() {
  local v
  for v in VAR_DIR COORDINATOR_PORT BROKER_PORT HISTORICAL_PORT INDEXER_PORT ZK_PORT DERBY_PORT; do
    printf '%s=%q\n' "$v" "${!v}"
  done
}
# While a cluster started by bin/start exists, its saved settings win, so that load-fixtures and
# friends talk to it whatever the environment says. bin/start compares the two.
DESIRED_SETTINGS="$(settings)"
if [[ -f "$RUN_DIR/cluster.env" ]]; then
  # shellcheck source=/dev/null
  source "$RUN_DIR/cluster.env"
fi

HOST=127.0.0.1
BROKER_URL="http://$HOST:$BROKER_PORT"
OVERLORD_URL="http://$HOST:$COORDINATOR_PORT"

if [[ -n "${DRUID_HARNESS_JAVA:-}" ]]; then JAVA="$DRUID_HARNESS_JAVA"
elif [[ -n "${JAVA_HOME:-}" ]]; then JAVA="$JAVA_HOME/bin/java"
else JAVA=java; fi

# Process names, in start order. Each has run/<name>.pid and run/<name>.log.
PROCS=(zk coordinator broker historical indexer)

log() { echo "[druid-harness] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# pid of a process we started, if its pid file exists and that process is still ours and alive.
live_pid() {
  local f="$RUN_DIR/$1.pid" pid
  [[ -f "$f" ]] || return 1
  pid="$(cat "$f")"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # Guard against PID reuse: our JVMs carry -Ddruid.harness.proc=<name>. Until setsid has exec'd the
  # JVM the command line is still "setsid java -D...", so the marker may be the second or third word.
  # sed reads the whole (long) command line, so no early exit breaks the pipe under pipefail.
  local words
  words="$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | sed -n '2,3p')"
  [[ $'\n'"$words"$'\n' == *$'\n'"-Ddruid.harness.proc=$1"$'\n'* ]] || return 1
  echo "$pid"
}

# POST a SQL query (JSON body) to the Broker; prints the body, fails on non-2xx.
sql_post() {
  curl -sS --fail-with-body -m "${2:-60}" -X POST -H 'Content-Type: application/json' \
    --data-binary "$1" "$BROKER_URL/druid/v2/sql"
}

# Run one SQL statement and print the single value of the first row.
sql_value() {
  sql_post "$(jq -cn --arg q "$1" '{query:$q,resultFormat:"array"}')" | jq -r '.[0][0]'
}

sql_ready() {
  [[ "$(sql_post '{"query":"SELECT 1","resultFormat":"array"}' 10 2>/dev/null)" == "[[1]]" ]]
}

# The whole cluster is usable: Broker answers SQL, the Overlord accepts tasks and sees the Indexer,
# and the Broker sees the Historical and the Coordinator.
cluster_ready() {
  sql_ready || return 1
  [[ "$(curl -sS -m 5 "$OVERLORD_URL/druid/indexer/v1/workers" 2>/dev/null | jq 'length' 2>/dev/null)" -ge 1 ]] || return 1
  [[ "$(sql_post '{"query":"SELECT server_type FROM sys.servers","resultFormat":"array"}' 10 2>/dev/null \
        | jq -r 'map(.[0]) | contains(["historical", "coordinator", "overlord", "indexer"])' 2>/dev/null)" == true ]]
}
