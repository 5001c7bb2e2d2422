#!/usr/bin/env bash
# Two nodes of one cluster: from a change committed on node A to node B's tap answer changing.
#   bash loadtest/fanout-propagation.sh [--cards N] [--samples S] [--rounds R] [--load-seconds L]
# Defaults: a 100,000-card demo population (loadtest/target/fanout-data, reused); after a warm-up,
# 3 rounds of 100 cards blocked and unblocked idle and as many while wrk taps node B (30 s).
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.FanoutPropagationBenchmark "$@"
