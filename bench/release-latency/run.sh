#!/usr/bin/env bash
# Release latency: the time from `kill -9` of a real child broker to the ballast release, read from
# the reserve's own releasedAt (tiers released by the unclean-shutdown trigger), with a healthy
# cluster, a refused port and a black-hole bootstrap (accepts TCP, never answers). Three child
# brokers (Kafka 4.3.1 from the test classpath); broker 1's log dir is on a loop-mounted ext4.
# The sidecar runs in the benchmark's JVM with retention enabled, so its cluster work hangs on the
# black hole. Goal (issue 10): at most broker.state.poll.ms + 2 s in every case.
# Needs root (mount) and mkfs.ext4. Cleans up its filesystem on exit.
#
#   sudo bench/release-latency/run.sh [kills=5] [broker.state.poll.ms=500]     # WORK=/tmp FS_SIZE=512M
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
kills=${1:-5}
poll=${2:-500}
work=$(mktemp -d "${WORK:-/tmp}/release-latency.XXXXXX")
cleanup() {
  umount "$work/mnt" 2>/dev/null || umount -l "$work/mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Compile, and write the test classpath (Kafka's broker jars included) to a file.
./mvnw -q -B -o -pl guardian -am test-compile dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath" -Dmdep.includeScope=test
cp="$root/guardian/target/test-classes:$root/guardian/target/classes:$(cat "$work/classpath")"

truncate -s "${FS_SIZE:-512M}" "$work/fs.img"
mkfs.ext4 -q -F "$work/fs.img"
mkdir "$work/mnt"
mount -o loop "$work/fs.img" "$work/mnt"

start=$(date +%s)
# The JVM's own output (broker and sidecar logs) goes to a file; the measurements are printed.
java -Xmx512m -cp "$cp" io.archiveguardian.guardian.sidecar.ReleaseLatencyBench "$work/mnt" "$kills" "$poll" \
  > "$work/output" 2>&1 || { tail -50 "$work/output" >&2; exit 1; }
grep -E '^(healthy cluster|refused port|black hole), kill|^broker.state.poll.ms=|^\|' "$work/output"
echo "wall time of the whole run: $(( $(date +%s) - start )) s"
