#!/usr/bin/env bash
# Log dir scan benchmark: the guardian's full and incremental scans against du, same run, warm cache.
# Usage: bench/scan/run.sh [partitions=2000] [segments=50] [repetitions=7]
# Builds the guardian module first (offline), creates the synthetic log dir under /tmp, deletes it after.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
./mvnw -q -B -o -pl guardian -am compile
# the scanner needs only the guardian's classes and JNA (for statx)
jna_version="$(sed -n 's:.*<jna.version>\(.*\)</jna.version>.*:\1:p' pom.xml)"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
classpath="$root/guardian/target/classes:$repo/net/java/dev/jna/jna/$jna_version/jna-$jna_version.jar"
work="$(mktemp -d /tmp/guardian-scan-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$root/bench/results"
out="$root/bench/results/scan-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cpus, filesystem: $(df -T /tmp | awk 'NR==2{print $2}')"
  java -Xmx512m -cp "$classpath" "$root/bench/scan/ScanBenchmark.java" "$work" "${1:-2000}" "${2:-50}" "${3:-7}"
} | tee "$out"
echo "results: $out"
