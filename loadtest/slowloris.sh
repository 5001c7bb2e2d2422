#!/usr/bin/env bash
# Tap latency with the tap listener quiet, then while idle and slowloris connections are held:
#   bash loadtest/slowloris.sh [--cards N] [--idle I] [--slow S] [--seconds T] [--rounds R]
# Defaults: a 100,000-card demo population (under loadtest/target/slowloris-data, reused),
# 5,000 idle and 200 slowloris connections, 3 rounds of 15 s each way after a warm-up.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
# Both ends of every abuser connection are in this one JVM: two open files each, plus wrk's.
need=$(( 2 * (5000 + 200) + 2000 ))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || { echo "ulimit -n is $(ulimit -n); the run needs about $need open files" >&2; exit 1; }
fi
echo "open files limit: $(ulimit -n)"
ensure_wrk
build_all
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -cp "$LOADTEST_CP" \
  istanbul.hes.loadtest.SlowlorisBenchmark "$@"
