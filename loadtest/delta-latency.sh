#!/usr/bin/env bash
# From a risk delta's arrival at the ministry simulator to the tap answer changing, at the node's
# default poll settings: bash loadtest/delta-latency.sh [--cards N] [--samples S]
# Defaults: 100,000 cards (population under loadtest/target/delta-latency-data, reused), 300 deltas.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.DeltaLatencyBenchmark "$@"
