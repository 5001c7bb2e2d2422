#!/usr/bin/env bash
# Gatling validators against the demo node: first a ramp to saturation (the node's answered taps/s
# sampled every second from its metrics: the measured maximum), then constant arrival rates (an
# open model) at 25 %, 50 % and 80 % of that maximum, --rounds times (default 2) in alternating order: with the
# realistic mix (1 % risky holders, whose denials wait for their record) and with the same mix
# without risky cards. Each run prints Gatling's p50/p99 per kind of answer (client side) and the
# node's own time per kind of answer: the non-risk answers must not wait behind the risk denials.
# --pool N bounds Gatling's shared connections to N (default 0: one per tap in flight).
# Last, risky holders only at --risk-rate (default 1,000 HES_RISK denials/s; 0: skipped).
#   bash loadtest/validator-load.sh [--cards N] [--to R] [--ramp S] [--duration S] [--rate R] [--fractions "25 50 80"] [--risk-rate R] [--rounds R] [--pool N]
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
RISK_RATE=1000
ROUNDS=2
POOL=0
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --to) TO=$2 ;;
    --ramp) RAMP=$2 ;;
    --duration) DURATION=$2 ;;
    --rate) RATE=$2 ;;
    --fractions) FRACTIONS=$2 ;;
    --risk-rate) RISK_RATE=$2 ;;
    --rounds) ROUNDS=$2 ;;
    --pool) POOL=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
build_all
DATA=loadtest/target/validator-demo
start_demo "$CARDS" "$DATA" loadtest/target/validator-demo.log --deltas-per-second 0
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators.csv
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators-no-risk.csv \
  --risk-percent 0
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators-risk-only.csv \
  --risk-percent 100
TOKEN=$(demo_validator_token "$DATA")
FEED="$PWD/loadtest/target/validators.csv"
NO_RISK_FEED="$PWD/loadtest/target/validators-no-risk.csv"
RISK_ONLY_FEED="$PWD/loadtest/target/validators-risk-only.csv"

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
  run_gatling ValidatorSimulation -Dmode=ramp -Dfrom=500 -Dto="$TO" -Dduration="$RAMP" -Dtoken="$TOKEN" -Dfeed="$FEED" -Dpool="$POOL"
  kill $SAMPLER || true
  # The best rate the node sustained for 5 s (single seconds are jittery: a late scrape moves counts between them).
  MAX=$(awk '{ time[NR] = $1; count[NR] = $2 } END { for (i = 6; i <= NR; i++) { rate = (count[i] - count[i-5]) / (time[i] - time[i-5]); if (rate > max) max = rate } printf "%d\n", max }' "$SAMPLES")
  echo "measured maximum: $MAX taps/s answered (best 5 s of the ramp); constant runs at $FRACTIONS % of it"
  for fraction in $FRACTIONS; do RATES+=($(( MAX * fraction / 100 ))); done
else
  RATES=("$RATE")
fi
SNAPSHOT=loadtest/target/validator-metrics-before.txt
ROUNDS_FILE=loadtest/target/validator-rounds.tsv
rm -f "$ROUNDS_FILE"
# Gatling's figures (ms, client side) of one measured run: its warm-up's requests are named apart.
COLUMNS=("tap OK:count" "tap OK:p50" "tap OK:p99" "tap NOT_PERSONALIZED:p99" "tap NO_HES_CODE:p99" "tap HES_EXPIRED:p99"
  "tap CARD_BLOCKED:p99" "tap HES_RISK:p50" "tap HES_RISK:p99" "All Requests:failed" "All Requests:non2xx")
round=0
for rate in "${RATES[@]}"; do
  for r in $(seq 1 "$ROUNDS"); do
    if [ $(((round + r) % 2)) -eq 0 ]; then order="mix no-risk"; else order="no-risk mix"; fi
    for feed in $order; do
      file=$([ "$feed" = mix ] && echo "$FEED" || echo "$NO_RISK_FEED")
      echo
      echo "round $r of $ROUNDS: constant arrival rate $rate taps/s for $DURATION s after 10 s of warm-up, feed $feed, pool ${POOL:-0}..."
      node_class_latency save "$SNAPSHOT"
      run_gatling ValidatorSimulation -Dmode=constant -Drate="$rate" -Dduration="$DURATION" -Dtoken="$TOKEN" -Dfeed="$file" -Dpool="$POOL"
      echo "node-side time per kind of answer, $rate taps/s, feed $feed (warm-up included):"
      node_class_latency since "$SNAPSHOT"
      java -cp "$LOADTEST_CP" istanbul.hes.loadtest.GatlingReport ValidatorSimulation --round "$ROUNDS_FILE" "$r" "$rate/s $feed" "${COLUMNS[@]}"
    done
  done
  round=$((round + 1))
done
echo
echo "every measured run (client side, ms; the warm-up apart), then the medians per rate and feed:"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.Rounds "$ROUNDS_FILE"
if [ "$RISK_RATE" -gt 0 ]; then
  echo
  echo "constant arrival rate: $RISK_RATE taps/s of risky holders only (every one a HES_RISK denial waiting for its record) for $DURATION s..."
  node_class_latency save "$SNAPSHOT"
  run_gatling ValidatorSimulation -Dmode=constant -Drate="$RISK_RATE" -Dduration="$DURATION" -Dtoken="$TOKEN" -Dfeed="$RISK_ONLY_FEED" -Dpool="$POOL"
  echo "node-side time per kind of answer, $RISK_RATE risk denials/s:"
  node_class_latency since "$SNAPSHOT"
fi
exit ${GATLING_FAILED:-0}
