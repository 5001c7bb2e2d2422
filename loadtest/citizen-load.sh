#!/usr/bin/env bash
# Gatling load test of the citizen API: holders link, update and remove HES codes against a demo
# node and its Ministry of Health simulator.
#   bash loadtest/citizen-load.sh [--cards N] [--rate CITIZENS_PER_S] [--duration S]
# Defaults: 1,000,000 cards, 334 citizens/s (four requests each, three of them links and updates:
# the 1,000 links and updates/s of the target) for 60 s after a 10 s ramp.
# Starts the demo (data under loadtest/target/citizen-demo, reused by the next run), writes the
# feed of synthetic holders with their tokens, runs CitizenSimulation, stops the demo. The HTML
# report is under loadtest/gatling/target/gatling/. Ports 8080-8082 and 8091-8092 must be free.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
CARDS=1000000
RATE=334
DURATION=60
RAMP=10
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --rate) RATE=$2 ;;
    --duration) DURATION=$2 ;;
    --ramp) RAMP=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
build_all
DATA=loadtest/target/citizen-demo
# Every simulated citizen comes from 127.0.0.1: the per-address limit is for the Internet.
export HES_CITIZEN_REQUESTS_PER_ADDRESS_PER_MINUTE=1000000
start_demo "$CARDS" "$DATA" loadtest/target/citizen-demo.log
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.CitizenFeed --cards "$CARDS" --data-dir "$DATA" \
  --count $(( RATE * (DURATION + RAMP) )) --out loadtest/target/citizens.csv
run_gatling CitizenSimulation -Drate="$RATE" -Dduration="$DURATION" -Dramp="$RAMP" -Dfeed="$PWD/loadtest/target/citizens.csv"
exit ${GATLING_FAILED:-0}
