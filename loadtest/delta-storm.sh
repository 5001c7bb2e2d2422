#!/usr/bin/env bash
# Storms of risk deltas against one node, with the tap latency idle and during each storm:
#   bash loadtest/delta-storm.sh [--changes N] [--cards C] [--page-size P] [--rounds R] [--seconds S] [--warmup W]
# Defaults: 1,000,000 deltas about as many holders of a 4,200,000-card demo population (under
# loadtest/target/delta-storm-data, reused; about 1 GiB), pages of 10,000; a warm-up storm of N/10,
# then 3 rounds of idle and storm (20 s of wrk each). Each delta turns its card from the state the
# database holds at the storm's start to the other, so every storm and every re-run is real work.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.DeltaStormBenchmark "$@"
