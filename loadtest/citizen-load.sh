#!/usr/bin/env bash
# Gatling load test of the citizen API: holders link, update and remove HES codes against a demo
# node and its Ministry of Health simulator, round by round.
#   bash loadtest/citizen-load.sh [--cards N] [--rate CITIZENS_PER_S] [--duration S] [--ramp S] [--rounds R] [--warmup S]
# Defaults: 1,000,000 cards, 334 citizens/s (four requests each, three of them links and updates:
# the 1,000 links and updates/s of the target) measured for 60 s after a 10 s ramp, 3 rounds, after
# a warm-up run of 30 s at the rate. The ramp of each run is not measured: the citizens arriving
# while the rate rises make the same requests named "warm-up …" (CitizenSimulation).
# Starts the demo without background risk deltas (data under loadtest/target/citizen-demo, reused by
# the next run), writes the feed of synthetic holders with their tokens, runs CitizenSimulation
# once to warm up then R times, prints Gatling's table of each run with the CPU per request of
# each process (node JVM, the Ministry of Health simulator, a process of its own as in production,
# PostgreSQL, Redis, Gatling), then every round and the
# medians; exits 1 when any request failed (warm-up included). Ports: HES_TAP_PORT (8080),
# HES_CITIZEN_PORT (8081), HES_ADMIN_PORT (8082), HES_POINTS_PORT (8083); the HTML reports are under
# loadtest/gatling/target/gatling/.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
CARDS=1000000 RATE=334 DURATION=60 RAMP=10 ROUNDS=3 WARMUP=30
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --rate) RATE=$2 ;;
    --duration) DURATION=$2 ;;
    --ramp) RAMP=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --warmup) WARMUP=$2 ;;
    *) echo "unknown option $1 (--cards N, --rate R, --duration S, --ramp S, --rounds R, --warmup S)" >&2; exit 2 ;;
  esac
  shift 2
done
[ $# -eq 0 ] || { echo "option $1 needs a value" >&2; exit 2; }
build_all
DATA=loadtest/target/citizen-demo
# Every simulated citizen comes from 127.0.0.1: the per-address limit is for the Internet.
export HES_CITIZEN_REQUESTS_PER_ADDRESS_PER_MINUTE=1000000
# The Ministry of Health as production has it: a process of its own (it knows every demo holder's
# code), whose CPU is counted apart from the node's.
HEALTH_PORT=${HES_SIMULATOR_HEALTH_PORT:-8191}
export HES_SIMULATOR_HEALTH_USER=citizen-load HES_SIMULATOR_HEALTH_PASSWORD=$(head -c 12 /dev/urandom | base64 | tr -d '/+=')
java -Xmx512m -jar "$KIT_JAR" demo-health --host 127.0.0.1 --port "$HEALTH_PORT" --cards "$CARDS" \
  > loadtest/target/citizen-health-simulator.log 2>&1 &
HEALTH=$!
for _ in $(seq 1 60); do
  grep -q "listening" loadtest/target/citizen-health-simulator.log && break
  kill -0 $HEALTH 2>/dev/null || { echo "the health simulator stopped; see loadtest/target/citizen-health-simulator.log" >&2; exit 1; }
  sleep 1
done
export HES_MINISTRY_HEALTH_BASE_URL="http://127.0.0.1:$HEALTH_PORT" HES_MINISTRY_HEALTH_USERNAME=$HES_SIMULATOR_HEALTH_USER \
  HES_MINISTRY_HEALTH_PASSWORD=$HES_SIMULATOR_HEALTH_PASSWORD
# No background risk deltas: an unseeded feed would change the population between runs.
start_demo "$CARDS" "$DATA" loadtest/target/citizen-demo.log --deltas-per-second 0
trap 'kill $DEMO $HEALTH 2>/dev/null || true; wait $DEMO $HEALTH 2>/dev/null || true' EXIT
FEED="$PWD/loadtest/target/citizens.csv"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.CitizenFeed --cards "$CARDS" --data-dir "$DATA" \
  --count $(( RATE * (DURATION + RAMP) )) --out "$FEED"
citizens() {
  run_gatling CitizenSimulation -Drate="$RATE" -Dduration="$1" -Dramp="$RAMP" -Dfeed="$FEED" \
    -Dcitizen.url="http://127.0.0.1:${HES_CITIZEN_PORT:-8081}"
}
echo "warm-up: a run of ${WARMUP} s at $RATE citizens/s (not kept)"
citizens "$WARMUP"
ROUNDS_FILE=loadtest/target/citizen-rounds.tsv
rm -f "$ROUNDS_FILE"
for r in $(seq 1 "$ROUNDS"); do
  echo "round $r of $ROUNDS: ${RAMP} s of ramp (warm-up requests), then ${DURATION} s measured"
  # The CPU each process spends per citizen request, sampled inside the measured phase.
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ProcessCpu window $((RAMP + 3)) $((DURATION - 6)) \
    "http://127.0.0.1:${HES_ADMIN_PORT:-8082}/metrics" gateway_citizen_answers_total request > loadtest/target/citizen-cpu.txt 2>&1 &
  SAMPLER=$!
  citizens "$DURATION"
  wait $SAMPLER || true
  cat loadtest/target/citizen-cpu.txt
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.GatlingReport CitizenSimulation --round "$ROUNDS_FILE" "$r" "$RATE citizens/s" \
    link:count link:p50 link:p99 update:p50 update:p99 "update back:p99" remove:p99 "leftover remove:count" \
    "All Requests:failed" "All Requests:non2xx"
done
echo
echo "measured phase of every round (ms; leftover remove: cards an interrupted run left linked, answered 409;"
echo "failed and non-2xx: all requests of the run, its ramp included), then the medians:"
finish_gatling_rounds "$ROUNDS_FILE"
