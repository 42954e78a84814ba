#!/usr/bin/env bash
# Clean stop before a full disk (issue 19): write rates 2, 8 and 32 MiB/s into a real Kafka 4.3.1
# broker (a child process) whose one log dir is a fresh 160 MiB loop-mounted ext4, with the sidecar
# on default keys in the benchmark's JVM. Per run: how the broker ended, the usable space left when
# it ended, and the stop's time from the decision to the confirmed .kafka_cleanshutdown.
# Goal: every run ends with a clean shutdown (exit 143, marker present) and space left above zero.
# Needs root (mount) and mkfs.ext4.
#
#   sudo bench/clean-stop/run.sh [runs per rate=3]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
runs=${1:-3}
work=$(mktemp -d "${WORK:-/tmp}/clean-stop.XXXXXX")
trap 'rm -rf "$work"' EXIT

./mvnw -q -B -o -pl guardian -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="$root/guardian/target/test-classes:$root/guardian/target/classes:$(cat "$work/classpath")"

start=$(date +%s)
java -Xmx512m -cp "$cp" io.archiveguardian.guardian.recovery.CleanStopBench "$runs" > "$work/output" 2>&1 \
  || { tail -50 "$work/output" >&2; exit 1; }
grep -E '^rate |^\|' "$work/output"
echo "wall time of the whole run: $(( $(date +%s) - start )) s"
