#!/usr/bin/env bash
# Gatling validators against the demo node: first a ramp to saturation (the node's answered taps/s
# sampled every second from its metrics: the measured maximum), then constant arrival rates (an
# open model) at 25 %, 50 % and 80 % of that maximum, each twice in alternating order: with the
# realistic mix (1 % risky holders, whose denials wait for their record) and with the same mix
# without risky cards. Each run prints Gatling's p50/p99 per kind of answer (client side) and the
# node's own time per kind of answer: the non-risk answers must not wait behind the risk denials.
#   bash loadtest/validator-load.sh [--cards N] [--to R] [--ramp S] [--duration S] [--rate R] [--fractions "25 50 80"]
# Defaults: 1,000,000 cards, a ramp from 500 to 40,000 taps/s over 60 s, then for each rate 10 s
# rising to it and 60 s at it (--rate R skips the ramp and runs that rate only). The demo's data is under loadtest/target/validator-demo
# (reused); the HTML reports are under loadtest/gatling/target/gatling/. Ports 8080-8082 and
# 8091-8093 must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
# Past saturation Gatling holds a connection per waiting tap.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CARDS=1000000
TO=40000
RAMP=60
DURATION=60
RATE=
FRACTIONS="25 50 80"
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --to) TO=$2 ;;
    --ramp) RAMP=$2 ;;
    --duration) DURATION=$2 ;;
    --rate) RATE=$2 ;;
    --fractions) FRACTIONS=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
build_all
DATA=loadtest/target/validator-demo
start_demo "$CARDS" "$DATA" loadtest/target/validator-demo.log --deltas-per-second 0
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators.csv
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators-no-risk.csv \
  --without-risk true
TOKEN=$(demo_validator_token "$DATA")
FEED="$PWD/loadtest/target/validators.csv"
NO_RISK_FEED="$PWD/loadtest/target/validators-no-risk.csv"

taps_answered() {
  curl -s http://127.0.0.1:8082/metrics | awk '/^gateway_taps_total\{/ { sum += $2 } END { printf "%d\n", sum }'
}

RATES=()
if [ -z "$RATE" ]; then
  echo "ramp from 500 to $TO taps/s over $RAMP s..."
  SAMPLES=loadtest/target/validator-ramp-samples.txt
  : > "$SAMPLES"
  ( while true; do count=$(taps_answered); echo "$(date +%s.%N) $count" >> "$SAMPLES"; sleep 1; done ) &
  SAMPLER=$!
  trap 'kill $SAMPLER 2>/dev/null || true; kill $DEMO 2>/dev/null || true; wait $DEMO 2>/dev/null || true' EXIT
  run_gatling ValidatorSimulation -Dmode=ramp -Dfrom=500 -Dto="$TO" -Dduration="$RAMP" -Dtoken="$TOKEN" -Dfeed="$FEED"
  kill $SAMPLER || true
  # The best rate the node sustained for 5 s (single seconds are jittery: a late scrape moves counts between them).
  MAX=$(awk '{ time[NR] = $1; count[NR] = $2 } END { for (i = 6; i <= NR; i++) { rate = (count[i] - count[i-5]) / (time[i] - time[i-5]); if (rate > max) max = rate } printf "%d\n", max }' "$SAMPLES")
  echo "measured maximum: $MAX taps/s answered (best 5 s of the ramp); constant runs at $FRACTIONS % of it"
  for fraction in $FRACTIONS; do RATES+=($(( MAX * fraction / 100 ))); done
else
  RATES=("$RATE")
fi
SNAPSHOT=loadtest/target/validator-metrics-before.txt
run=0
for rate in "${RATES[@]}"; do
  if [ $((run % 2)) -eq 0 ]; then order="mix no-risk"; else order="no-risk mix"; fi
  run=$((run + 1))
  for feed in $order; do
    file=$([ "$feed" = mix ] && echo "$FEED" || echo "$NO_RISK_FEED")
    echo
    echo "constant arrival rate: $rate taps/s for $DURATION s, feed $feed..."
    node_class_latency save "$SNAPSHOT"
    run_gatling ValidatorSimulation -Dmode=constant -Drate="$rate" -Dduration="$DURATION" -Dtoken="$TOKEN" -Dfeed="$file"
    echo "node-side time per kind of answer, $rate taps/s, feed $feed:"
    node_class_latency since "$SNAPSHOT"
  done
done
exit ${GATLING_FAILED:-0}
