# Shared by the load-test scripts; run from the repository root.

# The JVM flags Chronicle Map needs, from the one place they are defined (the root pom).
CHRONICLE_FLAGS=$(sed -n 's:.*<chronicle.jvm.flags>\(.*\)</chronicle.jvm.flags>.*:\1:p' pom.xml)
if [ -z "$CHRONICLE_FLAGS" ]; then
  echo "chronicle.jvm.flags not found in pom.xml" >&2
  exit 1
fi

# Builds the gateway's shaded jar when its sources are newer, then this project; sets LOADTEST_CP.
build_all() {
  if [ ! -f target/hes-gateway.jar ] || [ -n "$(find src/main pom.xml config -newer target/hes-gateway.jar -print -quit)" ]; then
    echo "building the gateway jar (mvn package, tests skipped)..."
    mvn -q -Dmaven.test.skip=true package
  fi
  mvn -q -f loadtest/pom.xml package
  LOADTEST_CP="loadtest/target/classes:target/hes-gateway.jar:$(cat loadtest/target/classpath.txt)"
}

# wrk, from the Debian package when it is missing.
ensure_wrk() {
  if ! command -v wrk >/dev/null; then
    echo "installing wrk (Debian package)..."
    apt-get install -y wrk >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y wrk >/dev/null; }
  fi
}
