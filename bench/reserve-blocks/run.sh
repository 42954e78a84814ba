#!/usr/bin/env bash
# Benchmark of reserve-blocks on one loop-mounted ext4 filesystem, in one run:
#   - arming 1 GiB and 4 GiB with the library (fallocate path) vs `fallocate -l`
#   - the write path (unthrottled) vs `dd if=/dev/zero bs=1M conv=fsync` of the same size
#   - the time to release one tier
# Times are measured inside the JVM (JVM start excluded); medians of RUNS runs. The library's arm()
# is durable (manifest written with fsync + directory fsync, audit line fsynced), fallocate(1) is
# not: so the "allocation step" (fallocate calls + rename, timed by an observer) and
# "fallocate(1)+sync(1)" (fallocate, then fsync of the file) are reported too.
# Needs root (mount), fallocate(1), dd, mkfs.ext4. Cleans up its filesystem on exit.
#
#   sudo bench/reserve-blocks/run.sh            # RUNS=9 WRITE_MIB=1024 FS_SIZE=6G WORK=/tmp
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RUNS=${RUNS:-9}
WRITE_MIB=${WRITE_MIB:-1024}
FS_SIZE=${FS_SIZE:-6G}
WORK=${WORK:-/tmp}
M2=${M2_REPO:-$HOME/.m2/repository}

cd "$ROOT"
./mvnw -q -B -o -pl reserve-blocks -am test-compile

version() { grep -oP "<$1>\K[^<]+" pom.xml; }
jackson=$(version jackson.version)
jackson_annotations=$(grep -oP '<jackson.version.annotations>\K[^<]+' \
  "$M2/com/fasterxml/jackson/jackson-bom/$jackson/jackson-bom-$jackson.pom")
CP="reserve-blocks/target/classes:reserve-blocks/target/test-classes"
CP="$CP:$M2/net/java/dev/jna/jna/$(version jna.version)/jna-$(version jna.version).jar"
CP="$CP:$M2/com/fasterxml/jackson/core/jackson-databind/$jackson/jackson-databind-$jackson.jar"
CP="$CP:$M2/com/fasterxml/jackson/core/jackson-core/$jackson/jackson-core-$jackson.jar"
CP="$CP:$M2/com/fasterxml/jackson/core/jackson-annotations/$jackson_annotations/jackson-annotations-$jackson_annotations.jar"
CP="$CP:$M2/org/slf4j/slf4j-api/$(version slf4j.version)/slf4j-api-$(version slf4j.version).jar"

work=$(mktemp -d "$WORK/reserve-bench.XXXXXX")
cleanup() {
  umount "$work/mnt" 2>/dev/null || umount -l "$work/mnt" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

truncate -s "$FS_SIZE" "$work/fs.img"
mkfs.ext4 -q -F -m 0 "$work/fs.img"
mkdir "$work/mnt"
mount -o loop "$work/fs.img" "$work/mnt"
mkdir "$work/mnt/bench"

echo "reserve-blocks benchmark: $(date -u +%FT%TZ), $(nproc) cores, kernel $(uname -r), ext4 $FS_SIZE loop image in $WORK"
java -Xmx512m -cp "$CP" io.archiveguardian.reserve.ReserveBench "$work/mnt/bench" "$RUNS" "$WRITE_MIB"
