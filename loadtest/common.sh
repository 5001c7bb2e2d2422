# Shared by the load-test scripts; run from the repository root.

# The JVM flags Chronicle Map needs, from the one place they are defined (the root pom).
CHRONICLE_FLAGS=$(sed -n 's:.*<chronicle.jvm.flags>\(.*\)</chronicle.jvm.flags>.*:\1:p' pom.xml)
if [ -z "$CHRONICLE_FLAGS" ]; then
  echo "chronicle.jvm.flags not found in pom.xml" >&2
  exit 1
fi

# The gateway's kit jar the scripts run: target/hes-gateway-kit.jar, rebuilt when its sources are
# newer; HES_KIT_JAR=FILE runs a jar built earlier instead and builds no gateway (for a run while
# someone else builds or runs from target/).
KIT_JAR=${HES_KIT_JAR:-target/hes-gateway-kit.jar}

# Builds the gateway's shaded jar when its sources are newer, then this project; sets LOADTEST_CP.
build_all() {
  if [ -n "${HES_KIT_JAR:-}" ]; then
    [ -f "$KIT_JAR" ] || { echo "HES_KIT_JAR: no file $KIT_JAR" >&2; exit 2; }
  elif [ ! -f target/hes-gateway-kit.jar ] || [ -n "$(find src/main pom.xml config -newer target/hes-gateway-kit.jar -print -quit)" ]; then
    echo "building the gateway jar (./mvnw package, tests skipped)..."
    ./mvnw -q -Dmaven.test.skip=true package
  fi
  ./mvnw -q -f loadtest/pom.xml package -Dgateway.jar="$(realpath "$KIT_JAR")"
  LOADTEST_CP="loadtest/target/classes:$KIT_JAR:$(cat loadtest/target/classpath.txt)"
}

# wrk, from the Debian package when it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)..."
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  fi
}

# Starts the demo node in the background (cards, data folder, log file, then extra demo options)
# and waits until it is ready; stops it when the script exits. Sets DEMO (its PID).
start_demo() {
  local cards=$1 data=$2 log=$3
  shift 3
  mkdir -p "$data"
  java -Xmx1g $CHRONICLE_FLAGS -jar "$KIT_JAR" demo --cards "$cards" --data-dir "$data" "$@" > "$log" 2>&1 &
  DEMO=$!
  trap 'kill $DEMO 2>/dev/null || true; wait $DEMO 2>/dev/null || true' EXIT
  echo "starting the demo node ($cards cards; log in $log)..."
  for _ in $(seq 1 900); do
    if ! kill -0 $DEMO 2>/dev/null; then
      echo "the demo node stopped; see $log" >&2
      exit 1
    fi
    if grep -q "HES gateway demo is ready" "$log"; then
      return 0
    fi
    sleep 1
  done
  echo "the demo node was not ready after 15 minutes; see $log" >&2
  exit 1
}

# The demo's validator token and operator token (generated into its data folder).
demo_validator_token() {
  sed -n 's/^ *token: "\(.*\)"/\1/p' "$1/validator-clusters.yaml" | head -1
}
demo_operator_token() {
  cat "$1/secrets/operator-token"
}

# Runs one Gatling simulation of loadtest/gatling (class name, then -D properties) and prints the
# summary of its report. GATLING_WATCH may name a function that reads Gatling's output as it comes
# (and must print it), e.g. to act when the console reports some elapsed time.
run_gatling() {
  local simulation=$1
  shift
  ./mvnw -q -f loadtest/gatling/pom.xml gatling:test -Dgatling.simulationClass=istanbul.hes.loadtest.$simulation "$@" \
    | "${GATLING_WATCH:-cat}" || GATLING_FAILED=1
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.GatlingReport "$simulation"
}

# The node's own p50/p99 of single taps (server time, from its gateway_tap_seconds histogram, all
# kinds of answer together), read from the admin listener at $1 (default http://127.0.0.1:8082):
# since the node started, or since the scrape saved in the file $2 (curl -s ADMIN/metrics > FILE).
# Prints "taps p50_µs p99_µs" (each "at most" its bucket bound; inf past the last bucket).
node_tap_latency() {
  { curl -s "${1:-http://127.0.0.1:8082}/metrics" | tap_buckets
    if [ -n "${2:-}" ]; then tap_buckets < "$2" | awk '{ print $1, -$2 }'; fi
  } | awk '{ sum[$1] += $2 } END { for (le in sum) print le, sum[le] }' | sort -g \
    | awk '{ le[NR] = $1; count[NR] = $2 } END {
        total = count[NR]
        for (i = 1; i <= NR; i++) { if (p50 == "" && count[i] >= 0.5 * total) p50 = le[i]; if (p99 == "" && count[i] >= 0.99 * total) p99 = le[i] }
        printf "%d %.0f %.0f\n", total, p50 * 1e6, p99 * 1e6 }'
}
# "le count" lines of the gateway_tap_seconds buckets of a scrape on stdin.
tap_buckets() {
  grep '^gateway_tap_seconds_bucket' | sed -E 's/.*le="([^"]+)".*[ ]([0-9.eE+-]+)$/\1 \2/' | sed 's/^+Inf/inf/'
}

# The node's own time per kind of answer between two calls: "node_class_latency save FILE" keeps a
# scrape, "node_class_latency since FILE" prints the table of what happened since (admin at $3,
# default http://127.0.0.1:8082).
node_class_latency() {
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.ClassLatency "$1" "${3:-http://127.0.0.1:8082}/metrics" "$2"
}

# Prints the rounds a script appended to $1 (every round and the medians, Rounds), then ends the
# script with status 1 when one of its Gatling runs failed (a failed request or assertion).
finish_gatling_rounds() {
  java -cp "$LOADTEST_CP" istanbul.hes.loadtest.Rounds "$1"
  if [ -n "${GATLING_FAILED:-}" ]; then
    echo "a Gatling run failed (a failed request or assertion): see its table above" >&2
    exit 1
  fi
}

# The median of the numbers given as arguments (the mean of the middle two for an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
