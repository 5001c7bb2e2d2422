#!/usr/bin/env bash
# JMH: single-thread card status lookups in a persisted Chronicle Map, with allocation per op.
#   bash loadtest/card-map-benchmark.sh                 # 34,260,087 cards (about 1.2 GB of map file)
#   bash loadtest/card-map-benchmark.sh -p cards=1000000
# Any argument is passed to JMH (e.g. -p mapDir=/some/disk, -f 2, -i 10). The map is built once
# per size under the temp folder (or mapDir) and reused. Defaults: 3 forks, each 5 warm-up and 5
# measured iterations of 2 s; the population, the probes and the taps' date are fixed. JMH's
# result goes to loadtest/target/card-map-benchmark.json; then every measured iteration and the
# median of each benchmark are printed (JmhRounds). A benchmark that fails exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
source loadtest/common.sh
build_all
RESULT=loadtest/target/card-map-benchmark.json
rm -f "$RESULT"
# JMH forks copy the host JVM's flags: the Chronicle flags reach the benchmark JVM too.
java -Xmx1g $CHRONICLE_FLAGS -cp "$LOADTEST_CP" org.openjdk.jmh.Main CardMapLookupBenchmark -prof gc -foe true \
  -rf json -rff "$RESULT" "$@"
echo
echo "every measured iteration, then the medians:"
java -cp "$LOADTEST_CP" istanbul.hes.loadtest.JmhRounds "$RESULT"
