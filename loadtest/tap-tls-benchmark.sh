#!/usr/bin/env bash
# Tap keep-alive throughput over TLS against plain HTTP, in one run, with wrk:
#   bash loadtest/tap-tls-benchmark.sh [--cards N] [--duration S] [--rounds R]
# Defaults: 100,000 cards, 10 s per run, 5 rounds (about 3 minutes). Two nodes in one process on
# one population (embedded PostgreSQL under loadtest/target/tls-bench-data, reused by the next
# run), plain and TLS, driven alternately. Everything listens and connects on 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx1g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" istanbul.hes.loadtest.TapTlsBenchmark "$@"
