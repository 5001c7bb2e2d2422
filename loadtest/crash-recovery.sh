#!/usr/bin/env bash
# A node killed with SIGKILL under tap load while it applies risk deltas, then started again:
#   bash loadtest/crash-recovery.sh [--cards N] [--kills K] [--deltas-per-second R] [--data-dir DIR]
# Defaults: a 1,000,000-card demo population (under loadtest/target/crash-recovery-data, reused),
# 10 kills, each 5-15 s after the node was ready, 500 risk deltas/s from the ministry simulator.
# Prints, per kill, the seconds from the new JVM's start and from the kill to ready, and how the
# map was loaded; then checks every card of the map against PostgreSQL. Full scale:
#   bash loadtest/crash-recovery.sh --cards 34260087
# (HES_DATABASE_URL / HES_REDIS_URL point it at servers of your own instead of embedded ones.)
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
ensure_wrk
build_all
exec java -Xmx2g $CHRONICLE_FLAGS -Dlogback.configurationFile=loadtest/logback.xml -Dhes.kit.jar="$KIT_JAR" \
  -Dhes.chronicle.flags="$CHRONICLE_FLAGS" -cp "$LOADTEST_CP" istanbul.hes.loadtest.CrashRecoveryBenchmark "$@"
