#!/usr/bin/env bash
# The recording capacity of HES_RISK denials (each answered once its record is committed), with
# ordinary taps meanwhile, at nodes with different violations.writers, round by round; then a
# backlog built with the Ministry of Interior down and drained once it is back:
#   bash loadtest/violation-rush.sh [--cards N] [--seconds S] [--rounds R] [--connections C] [--writers W,W...] [--backlog B]
# Defaults: a 1,000,000-card demo population (under loadtest/target/violation-rush-data, reused),
# nodes with 1 and 2 writers, 5 rounds of a 10 s rush each on 64 connections, a backlog of
# 100,000 reports. Exits 1 when a tap failed or an answered denial is missing from the outbox.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.ViolationRushBenchmark "$@"
