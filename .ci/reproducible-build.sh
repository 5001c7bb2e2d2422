#!/usr/bin/env bash
# Builds the shaded jar twice, each time from a clean copy of the work tree in a different
# folder, and compares the two target/hes-gateway.jar: prints both sha256 and "identical" or
# "DIFFERENT" (then the entries that differ) and exits 1 when they differ.
# Usage: .ci/reproducible-build.sh [extra Maven arguments, e.g. -o]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The tracked files as they are in the work tree (edits included) plus new files not ignored:
# what a fresh clone of this state would hold, without target/ or data/.
copy() {
  mkdir -p "$1"
  # A file deleted in the work tree but still tracked stays out, as in the commit to be.
  (cd "$root" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
    | xargs -0 cp --parents -t "$1")
}

declare -a sums
for build in a b; do
  copy "$work/$build"
  echo "build $build: ./mvnw -B -q clean package -DskipTests $* (in $work/$build)"
  (cd "$work/$build" && ./mvnw -B -q clean package -DskipTests "$@")
  sums+=("$(sha256sum "$work/$build/target/hes-gateway.jar" | cut -d' ' -f1)")
done

echo "sha256 build a: ${sums[0]}"
echo "sha256 build b: ${sums[1]}"
if [ "${sums[0]}" = "${sums[1]}" ]; then
  echo "identical"
  exit 0
fi
echo "DIFFERENT"
# Entry by entry (name, size, CRC, date), to show where the difference is.
if command -v unzip >/dev/null; then
  diff <(unzip -v "$work/a/target/hes-gateway.jar" | awk 'NF >= 8 {print $8, $1, $7, $5, $6}') \
       <(unzip -v "$work/b/target/hes-gateway.jar" | awk 'NF >= 8 {print $8, $1, $7, $5, $6}') | head -40 || true
fi
exit 1
