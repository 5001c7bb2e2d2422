#!/usr/bin/env bash
# The tap path of two builds side by side: the same population, the same taps, wrk rounds
# interleaved (each round runs both, in alternating order), every round and the medians printed:
#   bash loadtest/tap-compare-builds.sh --before REF [--cards N] [--duration S] [--rounds R] [--warmup S]
# REF is the git revision to compare this working tree with (e.g. the commit before an issue).
# Each build runs as its demo (embedded PostgreSQL and Redis, its own data folder under
# loadtest/target/compare, no background risk deltas: both keep the generated population's
# answers) on ports of its own; wrk: 2 threads, 64 keep-alive connections,
# POST /v1/taps with the demo's cards of every decision class in turn. Defaults: 200,000 cards,
# 10 s per run, 5 rounds, after a 30 s warm-up of each (the JIT: shorter, the first rounds still
# climb and the order of the runs decides).
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
BEFORE="" CARDS=200000 DURATION=10 ROUNDS=5 WARMUP=30
while [ $# -gt 0 ]; do
  case "$1" in
    --before) BEFORE=$2; shift 2 ;;
    --cards) CARDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    *) echo "unknown option $1 (--before REF, --cards N, --duration S, --rounds R, --warmup S)" >&2; exit 2 ;;
  esac
done
[ -n "$BEFORE" ] || { echo "--before REF is required (the git revision to compare with)" >&2; exit 2; }
git rev-parse --verify --quiet "$BEFORE^{commit}" >/dev/null || { echo "--before $BEFORE is not a commit of this repository" >&2; exit 2; }
ensure_wrk
WORK=loadtest/target/compare
mkdir -p "$WORK"

echo "building this tree's kit jar..."
./mvnw -q -Dmaven.test.skip=true package
cp target/hes-gateway-kit.jar "$WORK/after.jar"
echo "building $BEFORE's kit jar (in a worktree)..."
rm -rf "$WORK/before-src"
git worktree add -f --detach "$WORK/before-src" "$BEFORE" >/dev/null 2>&1
(cd "$WORK/before-src" && ./mvnw -q -Dmaven.test.skip=true package)
cp "$WORK/before-src/target/hes-gateway-kit.jar" "$WORK/before.jar"
git worktree remove --force "$WORK/before-src"

PIDS=()
trap 'for pid in "${PIDS[@]}"; do kill $pid 2>/dev/null || true; done; wait 2>/dev/null || true' EXIT
# start NAME BASE_PORT: the build's demo on BASE_PORT (taps), +1 citizens, +2 admin, +3 points.
start() {
  local name=$1 base=$2 data="$WORK/$1-data" log="$WORK/$1.log"
  mkdir -p "$data"
  HES_TAP_PORT=$base HES_CITIZEN_PORT=$((base + 1)) HES_ADMIN_PORT=$((base + 2)) HES_POINTS_PORT=$((base + 3)) \
    java -Xmx1g $CHRONICLE_FLAGS -jar "$WORK/$name.jar" demo --cards "$CARDS" --data-dir "$data" --deltas-per-second 0 > "$log" 2>&1 &
  PIDS+=($!)
  echo "starting the $name demo ($CARDS cards, taps on $base; log in $log)..."
  for _ in $(seq 1 900); do
    kill -0 "${PIDS[-1]}" 2>/dev/null || { echo "the $name demo stopped; see $log" >&2; exit 1; }
    grep -q "HES gateway demo is ready" "$log" && return 0
    sleep 1
  done
  echo "the $name demo was not ready after 15 minutes; see $log" >&2
  exit 1
}
start before 18080
start after 28080

# wrk's Lua: the demo's printed cards of every class, in turn.
CARD_LIST=$(grep -E '^#   (ALLOW|DENY) ' "$WORK/after.log" | grep -oE '[0-9]{16}' | sed 's/.*/"&"/' | paste -sd, -)
[ -n "$CARD_LIST" ] || { echo "no cards found in $WORK/after.log" >&2; exit 1; }
lua() {
  cat > "$WORK/$1.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $(demo_validator_token "$WORK/$1-data")"
local cards = { $CARD_LIST }
local i = 0
request = function()
  i = i % #cards + 1
  return wrk.format(nil, "/v1/taps", nil, '{"card":"' .. cards[i] .. '","validator":"BENCH-GATE-01","at":"2026-11-21T08:00:00Z"}')
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.1f %d %d %d\n", summary.requests / (summary.duration / 1e6),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(99)))
end
LUA
}
lua before
lua after
# run NAME PORT SECONDS: prints "requests/s non2xx socketErrors p99µs".
run() {
  wrk -t2 -c64 -d"$3"s --timeout 5s -s "$WORK/$1.lua" "http://127.0.0.1:$2" | sed -n 's/^RESULT //p'
}
echo "warm-up: $WARMUP s each, in turn"
for half in 1 2; do
  run before 18080 $((WARMUP / 2)) >/dev/null
  run after 28080 $((WARMUP / 2)) >/dev/null
done
printf '%-6s %-7s %12s %8s %8s %10s\n' round build 'taps/s' non2xx errors 'p99 µs'
B=() A=() ERRORS=0
for r in $(seq 1 "$ROUNDS"); do
  if [ $((r % 2)) -eq 1 ]; then order="before after"; else order="after before"; fi
  for name in $order; do
    port=$([ "$name" = before ] && echo 18080 || echo 28080)
    read -r rate non2xx errors p99 < <(run "$name" "$port" "$DURATION")
    printf '%-6s %-7s %12.0f %8d %8d %10d\n' "$r" "$name" "$rate" "$non2xx" "$errors" "$p99"
    ERRORS=$((ERRORS + non2xx + errors))
    if [ "$name" = before ]; then B+=("$rate"); else A+=("$rate"); fi
  done
done
MB=$(median "${B[@]}") MA=$(median "${A[@]}")
echo "median taps/s: before ($BEFORE) $MB, after (this tree) $MA; ratio after/before $(awk -v a="$MA" -v b="$MB" 'BEGIN { printf "%.3f", a / b }'); errors $ERRORS"
