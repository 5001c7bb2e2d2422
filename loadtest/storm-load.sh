#!/usr/bin/env bash
# Gatling validators tapping while the Ministry of Health's risk feed storms: the demo node's
# ministry simulator publishes --deltas-per-second deltas about random holders, the node ingests
# them, and DeltaStormSimulation taps at --rate while an operator watches the ingestion.
#   bash loadtest/storm-load.sh [--cards N] [--rate R] [--deltas-per-second D] [--duration S]
# Defaults: 1,000,000 cards, 2,000 taps/s, 5,000 deltas/s, 60 s. Data under
# loadtest/target/storm-demo (reused); the HTML report under loadtest/gatling/target/gatling/.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
CARDS=1000000
RATE=2000
DELTAS=5000
DURATION=60
while [ $# -gt 1 ]; do
  case "$1" in
    --cards) CARDS=$2 ;;
    --rate) RATE=$2 ;;
    --deltas-per-second) DELTAS=$2 ;;
    --duration) DURATION=$2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift 2
done
build_all
DATA=loadtest/target/storm-demo
start_demo "$CARDS" "$DATA" loadtest/target/storm-demo.log --deltas-per-second "$DELTAS"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ValidatorFeed --cards "$CARDS" --count 200000 --out loadtest/target/validators.csv
OPERATOR=$(demo_operator_token "$DATA")
before=$(curl -s http://127.0.0.1:8082/admin/v1/deltas -H "Authorization: Bearer $OPERATOR")
run_gatling DeltaStormSimulation -Drate="$RATE" -Dduration="$DURATION" -Dtoken="$(demo_validator_token "$DATA")" \
  -Doperator="$OPERATOR" -Dfeed="$PWD/loadtest/target/validators.csv"
echo "ingestion before the run: $before"
echo "ingestion after the run:  $(curl -s http://127.0.0.1:8082/admin/v1/deltas -H "Authorization: Bearer $OPERATOR")"
node_tap_latency
exit ${GATLING_FAILED:-0}
