#!/usr/bin/env bash
# The hotlist at 100,000 and 1,000,000 denied cards: full lists (JSON, binary) made from scratch,
# sizes, 304s, and the changes since a version.
#   bash loadtest/hotlist-benchmark.sh [--cards N]
# Default: a fresh 1,300,000-card demo population under loadtest/target/hotlist-data.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
build_all
rm -rf loadtest/target/hotlist-data
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.HotlistBenchmark "$@"
