#!/usr/bin/env bash
# A storm of risk deltas against one node, with the tap p99 idle and during the storm:
#   bash loadtest/delta-storm.sh [--changes N] [--cards C] [--page-size P]
# Defaults: 1,000,000 deltas about as many holders of a 4,200,000-card demo population (under
# loadtest/target/delta-storm-data, reused; about 1 GiB), pages of 10,000.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.DeltaStormBenchmark "$@"
