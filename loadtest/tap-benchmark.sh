#!/usr/bin/env bash
# HTTP benchmark of the tap path against its alternatives, on one node, with wrk:
#   bash loadtest/tap-benchmark.sh [--cards N] [--duration S] [--rounds R]
# Defaults: 1,000,000 cards, 10 s per run, 3 rounds (about 6 minutes). The population goes into
# the embedded PostgreSQL under loadtest/target/bench-data (reused by the next run), or into the
# external one that HES_DATABASE_URL names. Everything listens and connects on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" istanbul.hes.loadtest.TapBenchmark "$@"
