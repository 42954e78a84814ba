#!/usr/bin/env bash
# Chaos run (issue "Whole-cluster incidents", item 7): three real Kafka 4.3.1 brokers (child
# processes), each on its own 192 MiB loop-mounted ext4 with a sidecar (`guardian run`, a child
# process), an archive topic written at 128 KiB/s, and a random fault every 10-40 s after the last
# one healed: kill -9 of a broker, of a sidecar, of both, a black-hole bootstrap while the broker dies,
# a disk filled to critical, a whole-cluster power loss. Prints the faults by kind and every invariant
# violation; exits 1 when there was one. Needs root (mount) and mkfs.ext4.
#
#   sudo bench/chaos/run.sh [minutes=20] [seed] [faults, e.g. kill_broker,full_with_sidecar_down; default all]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
minutes=${1:-20}
seed=${2:-$(date +%s)}
work=$(mktemp -d "${WORK:-/tmp}/chaos.XXXXXX")
keep=0
trap '[ "$keep" = 1 ] && echo "kept for a look: $work" || rm -rf "$work"' EXIT

./mvnw -q -B -o -pl guardian -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="$root/guardian/target/test-classes:$root/guardian/target/classes:$(cat "$work/classpath")"

start=$(date +%s)
status=0
java -Xmx768m -Djava.io.tmpdir="$work" -cp "$cp" io.archiveguardian.guardian.recovery.ChaosBench "$minutes" "$seed" ${3:+"$3"} \
  > "$work/output" 2>&1 || status=$?
grep -E 'chaos run|fault [0-9]+:|prestart exit|VIOLATION|ended by itself|start failed|^\||faults injected|first release|invariant violations|^  ' "$work/output" || true
echo "wall time of the whole run: $(( $(date +%s) - start )) s"
[ "$status" -eq 0 ] || { keep=1; echo "exit $status; the last lines of the run:"; tail -30 "$work/output"; }
exit "$status"
