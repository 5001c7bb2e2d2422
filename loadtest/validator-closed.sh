#!/usr/bin/env bash
# Validators as validators are (issue 16, point 5): a closed model, each validator on a
# connection of its own that it keeps, tapping again after its think time, against wrk on as many
# keep-alive connections, in the same run, round by round in alternating order:
#   bash loadtest/validator-closed.sh [--cards N] [--users U] [--think MS] [--duration S] [--rounds R]
# Defaults: 1,000,000 cards (the demo's data under loadtest/target/validator-demo, reused), 64
# validators, 0 ms think time (the node's capacity), 30 s per run, 3 rounds after 30 s of warm-up.
# Both drive POST /v1/taps with the feed of a metro gate (ValidatorFeed). Prints every round (taps/s,
# failures, the CPU per tap of each process sampled inside the run) and the medians, Gatling/wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
CARDS=1000000 USERS=64 THINK=0 DURATION=30 ROUNDS=3
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --users) USERS=$2 ;;
    --think) THINK=$2 ;;
    --duration) DURATION=$2 ;;
    --rounds) ROUNDS=$2 ;;
    *) echo "unknown option $1 (--cards N, --users U, --think MS, --duration S, --rounds R)" >&2; exit 2 ;;
  esac
  shift 2
done
ensure_wrk
build_all
DATA=loadtest/target/validator-demo
start_demo "$CARDS" "$DATA" loadtest/target/validator-demo.log --deltas-per-second 0
FEED="$PWD/loadtest/target/validators.csv"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out "$FEED"
TOKEN=$(demo_validator_token "$DATA")
# The taps' time as Gatling sends it (now), not a fixed day: both drivers send the same requests.
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
LUA=loadtest/target/validator-closed.lua
cat > "$LUA" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $TOKEN"
local cards = {}
for line in io.lines("$FEED") do
  local card = line:match("^(%d+),")
  if card then cards[#cards + 1] = card end
end
local i = 0
request = function()
  i = i % #cards + 1
  return wrk.format(nil, "/v1/taps", nil, '{"card":"' .. cards[i] .. '","validator":"GATE-1","at":"$NOW"}')
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d\n", summary.requests / (summary.duration / 1e6), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
LUA
wrk_run() { wrk -t2 -c"$USERS" -d"$1"s --timeout 5s -s "$LUA" http://127.0.0.1:8080 | sed -n 's/^RESULT //p'; }
gatling_run() {
  run_gatling ValidatorSimulation -Dmode=closed -Dusers="$USERS" -Dthink="$THINK" -Dduration="$1" -Dtoken="$TOKEN" -Dfeed="$FEED" \
    | sed -n 's/^All Requests *\([0-9]*\) requests, \([0-9]*\) failed, \([0-9.]*\)\/s.*/\3 \2/p'
}
echo "warm-up: 30 s of each"
wrk_run 30 >/dev/null
gatling_run 30 >/dev/null
printf '%-6s %-8s %12s %10s\n' round driver 'taps/s' failures
G=() W=() FAILURES=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="gatling wrk"; else order="wrk gatling"; fi
  for driver in $order; do
    # The CPU each process spends per tap, sampled inside the run (wrk's time is only seen while it runs).
    java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ProcessCpu window 3 $((DURATION - 8)) http://127.0.0.1:8082/metrics \
      > loadtest/target/validator-closed-cpu.txt 2>&1 &
    SAMPLER=$!
    if [ "$driver" = wrk ]; then
      read -r rate non2xx errors < <(wrk_run "$DURATION"); failures=$((non2xx + errors)); W+=("$rate")
    else
      read -r rate failures < <(gatling_run "$DURATION"); G+=("$rate")
    fi
    wait $SAMPLER || true
    printf '%-6s %-8s %12.0f %10d   %s\n' "$r" "$driver" "$rate" "$failures" "$(cat loadtest/target/validator-closed-cpu.txt)"
    FAILURES=$((FAILURES + failures))
  done
done
MG=$(median "${G[@]}") MW=$(median "${W[@]}")
echo "median taps/s: Gatling closed model ($USERS validators, think $THINK ms) $MG, wrk ($USERS connections) $MW; Gatling/wrk $(awk -v g="$MG" -v w="$MW" 'BEGIN { printf "%.3f", g / w }')"
# Any failed tap (Gatling's failed requests, wrk's non-2xx and socket errors) fails the run.
[ "$FAILURES" -eq 0 ] || { echo "$FAILURES taps failed" >&2; exit 1; }
