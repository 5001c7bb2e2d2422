#!/usr/bin/env bash
# What the operators' statistics cost, in one run:
#   bash loadtest/statistics-benchmark.sh [--cards N] [--active A] [--duration S] [--rounds R]
# Defaults: 1,000,000 cards, 1,000,000 active, 8 s per run, 8 rounds. Two nodes in one process on
# one population (embedded PostgreSQL under loadtest/target/statistics-bench-data, reused by the
# next run), statistics on and off, driven alternately with wrk (tap keep-alive throughput, its
# ratio); then A distinct cards tap the statistics node and its memory and the day's figures are
# read back. Full scale: --cards 34260087 --active 7000000 (needs -Xmx in JAVA_OPTS, e.g. -Xmx3g).
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java ${JAVA_OPTS:--Xmx2g} $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" istanbul.hes.loadtest.StatisticsBenchmark "$@"
