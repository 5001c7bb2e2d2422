#!/usr/bin/env bash
# The hotlist at 100,000 and 1,000,000 denied cards: full lists (JSON, binary) made from scratch,
# round by round in rotating order after a warm-up, sizes, 304s, and the changes since a version
# (checked to be exactly the cards blocked).
#   bash loadtest/hotlist-benchmark.sh [--cards N] [--rounds R] [--sizes S1,S2]
# Default: a fresh 1,300,000-card demo population under loadtest/target/hotlist-data, 3 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
build_all
rm -rf loadtest/target/hotlist-data
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.HotlistBenchmark "$@"
