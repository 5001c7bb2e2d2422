#!/usr/bin/env bash
# JMH: single-thread card status lookups in a persisted Chronicle Map, with allocation per op.
#   bash loadtest/card-map-benchmark.sh                 # 34,260,087 cards (about 1.2 GB of map file)
#   bash loadtest/card-map-benchmark.sh -p cards=1000000
# Any argument is passed to JMH (e.g. -p mapDir=/some/disk, -f 2, -i 10). The map is built once
# per size under the temp folder (or mapDir) and reused.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
build_all
# JMH forks copy the host JVM's flags: the Chronicle flags reach the benchmark JVM too.
exec java -Xmx1g $CHRONICLE_FLAGS -cp "$LOADTEST_CP" org.openjdk.jmh.Main CardMapLookupBenchmark -prof gc "$@"
