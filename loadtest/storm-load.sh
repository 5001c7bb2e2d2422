#!/usr/bin/env bash
# Gatling validators tapping while the Ministry of Health's risk feed storms: the demo node's
# ministry simulator publishes --deltas-per-second deltas about random holders, the node ingests
# them, and DeltaStormSimulation taps at --rate while an operator watches the ingestion, round by round.
#   bash loadtest/storm-load.sh [--cards N] [--rate R] [--deltas-per-second D] [--duration S] [--rounds R] [--warmup S]
# Defaults: 1,000,000 cards, 2,000 taps/s, 5,000 deltas/s, 60 s per round after each run's 10 s
# ramp, 3 rounds after a warm-up run of 30 s. Data under loadtest/target/storm-demo (reused); the
# HTML reports under loadtest/gatling/target/gatling/. Each run's ramp (DeltaStormSimulation's
# 10 s) is left out of the node-side figures: the node's tap histogram is saved when Gatling's
# console reports the ramp's end, and read again when the run ends. Gatling's own table covers the
# whole run, ramp included. Prints every round and the medians; exits 1 when a request failed.
# Ports: HES_TAP_PORT (8080), HES_CITIZEN_PORT (8081), HES_ADMIN_PORT (8082), HES_POINTS_PORT (8083).
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
CARDS=1000000 RATE=2000 DELTAS=5000 DURATION=60 ROUNDS=3 WARMUP=30
# The ramp of DeltaStormSimulation (ValidatorSimulation.steady: 10 s from a tenth of the rate).
RAMP=10
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --rate) RATE=$2 ;;
    --deltas-per-second) DELTAS=$2 ;;
    --duration) DURATION=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --warmup) WARMUP=$2 ;;
    *) echo "unknown option $1 (--cards N, --rate R, --deltas-per-second D, --duration S, --rounds R, --warmup S)" >&2; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 0 ] || { echo "option $1 needs a value" >&2; exit 2; }
build_all
DATA=loadtest/target/storm-demo
# The deltas are what this test is about: the demo publishes them (about random holders).
start_demo "$CARDS" "$DATA" loadtest/target/storm-demo.log --deltas-per-second "$DELTAS"
FEED="$PWD/loadtest/target/storm-validators.csv"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out "$FEED"
OPERATOR=$(demo_operator_token "$DATA")
ADMIN="http://127.0.0.1:${HES_ADMIN_PORT:-8082}"
SNAPSHOT=loadtest/target/storm-ramp-end.prom
# Passes Gatling's output on; at its first progress report at or past the ramp's end, saves the
# node's metrics (the constant phase starts there).
after_ramp() {
  local line
  while IFS= read -r line; do
    printf '%s\n' "$line"
    if [ ! -f "$SNAPSHOT" ] && [[ $line =~ \ ([0-9]+)s\ elapsed ]] && [ "${BASH_REMATCH[1]}" -ge "$RAMP" ]; then
      curl -s "$ADMIN/metrics" > "$SNAPSHOT"
    fi
  done
}
GATLING_WATCH=after_ramp
storm() {
  rm -f "$SNAPSHOT"
  run_gatling DeltaStormSimulation -Drate="$RATE" -Dduration="$1" -Dtoken="$(demo_validator_token "$DATA")" \
    -Doperator="$OPERATOR" -Dfeed="$FEED" -Dtap.url="http://127.0.0.1:${HES_TAP_PORT:-8080}" -Dadmin.url="$ADMIN"
  [ -f "$SNAPSHOT" ] || { echo "Gatling never reported its ramp's end ($RAMP s)" >&2; exit 1; }
}
echo "warm-up: a run of $WARMUP s at $RATE taps/s (not kept)"
storm "$WARMUP"
ROUNDS_FILE=loadtest/target/storm-rounds.tsv
rm -f "$ROUNDS_FILE"
ingestion() { curl -s "$ADMIN/admin/v1/deltas" -H "Authorization: Bearer $OPERATOR"; }
field() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" <<< "$2"; }
for r in $(seq 1 "$ROUNDS"); do
  before=$(ingestion)
  echo "round $r of $ROUNDS: $RAMP s of ramp, then $DURATION s at $RATE taps/s; ingestion before: $before"
  storm "$DURATION"
  read -r taps p50 p99 < <(node_tap_latency "$ADMIN" "$SNAPSHOT")
  after=$(ingestion)
  echo "ingestion after: $after"
  echo "node side, constant phase: $taps taps, p50 <= $p50 µs, p99 <= $p99 µs"
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.GatlingReport DeltaStormSimulation --round "$ROUNDS_FILE" "$r" "$RATE taps/s, $DELTAS deltas/s" \
    "deltas applied=$(( $(field lastAppliedSeq "$after") - $(field lastAppliedSeq "$before") ))" "lag at end=$(field lag "$after")" \
    "node taps=$taps" "node taps/s=$(( taps / DURATION ))" "node p50 µs=$p50" "node p99 µs=$p99" \
    tap:p50 tap:p99 "All Requests:failed" "All Requests:non2xx"
done
echo
echo "every round (deltas applied over the run, the ingestion's lag when it ended; node: the node's own time over the"
echo "constant phase, at most its bucket bound; tap p50/p99, failed and non-2xx: Gatling's, the whole run, ramp included),"
echo "then the medians:"
finish_gatling_rounds "$ROUNDS_FILE"
