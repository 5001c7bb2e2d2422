#!/usr/bin/env bash
# A rush of HES_RISK denials (each answered once its record is committed) with ordinary taps
# meanwhile, then a backlog built with the Ministry of Interior down and drained once it is back:
#   bash loadtest/violation-rush.sh [--cards N] [--seconds S] [--backlog B]
# Defaults: a 1,000,000-card demo population (under loadtest/target/violation-rush-data, reused),
# a 20 s rush, a backlog of 100,000 reports.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.ViolationRushBenchmark "$@"
