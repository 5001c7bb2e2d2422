#!/usr/bin/env bash
# Two nodes of one cluster: from a change committed on node A to node B's tap answer changing.
#   bash loadtest/fanout-propagation.sh [--cards N] [--samples S]
# Defaults: a 100,000-card demo population (loadtest/target/fanout-data, reused), 300 cards
# blocked and unblocked (600 changes) idle, then 200 while wrk taps node B.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.FanoutPropagationBenchmark "$@"
