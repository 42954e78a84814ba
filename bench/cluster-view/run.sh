#!/usr/bin/env bash
# The cluster view under a large cluster's load: simulated sidecars heartbeating through a real
# single-node KRaft broker into the real Kafka Streams topology (see ClusterViewBench.java).
# Usage: bench/cluster-view/run.sh [brokers=1000] [intervalMs=10000] [seconds=180] [burst=200000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
work="$(mktemp -d "${WORK:-/tmp}/guardian-cluster-view-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
./mvnw -q -B -o -pl guardian -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile="$work/classpath.txt"
mkdir -p bench/results
out="bench/results/cluster-view-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cpus, $(java -version 2>&1 | head -1)"
  if ! java -Xmx1g -cp "$root/guardian/target/classes:$(cat "$work/classpath.txt")" \
      "$root/bench/cluster-view/ClusterViewBench.java" "$@" > "$work/out.txt" 2> "$work/err.txt"; then
    tail -40 "$work/err.txt"; tail -40 "$work/out.txt"; exit 1
  fi
  grep -E '^(latency|heartbeat-to-view|view read|throughput)' "$work/out.txt"
} | tee "$out"
echo "results: $out"
