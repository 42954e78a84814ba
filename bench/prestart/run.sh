#!/usr/bin/env bash
# guardian prestart timing on a synthetic log dir (default 10,000 partitions x 5 segments).
# Times the real launcher (JVM start included) and reports prestart's own elapsed time, medians of
# several runs: local only, and with an unreachable cluster (bounded by prestart.cluster.timeout.ms).
# Usage: bench/prestart/run.sh [partitions=10000] [segments=5] [runs=5]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
[ -x guardian/target/dist/bin/guardian ] || ./mvnw -q -B -o package -DskipTests
partitions="${1:-10000}" segments="${2:-5}" runs="${3:-5}"
work="$(mktemp -d /tmp/guardian-prestart-bench.XXXXXX)"
trap 'rm -rf "$work"' EXIT
python3 bench/prestart/make_logdir.py "$work/kafka-logs" "$partitions" "$segments"
echo "# $(date -u +%FT%TZ) $(nproc) cpus, $partitions partitions x $segments segments, $(find "$work/kafka-logs" -type f | wc -l) files"
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
bench() {
  local name="$1" config="$2" walls=() inner=()
  for _ in $(seq "$runs"); do
    local t0 t1 json
    t0=$(date +%s%N)
    json=$(guardian/target/dist/bin/guardian prestart --dry-run --config "$config" --output json 2>/dev/null || true)
    t1=$(date +%s%N)
    walls+=("$(( (t1 - t0) / 1000000 ))")
    inner+=("$(printf '%s' "$json" | python3 -c 'import json,sys; print(int(json.load(sys.stdin)["elapsed_seconds"]*1000))')")
  done
  printf '%-26s wall (with JVM start) median %5d ms   in-JVM median %5d ms   runs: %s\n' "$name" \
    "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${inner[@]}" | median)" "${walls[*]}"
}
printf 'log.dirs=%s\nstate.dir=%s\n' "$work/kafka-logs" "$work/state" > "$work/local.properties"
printf 'log.dirs=%s\nstate.dir=%s\nbootstrap.servers=127.0.0.1:9\nnode.id=1\nprestart.cluster.timeout.ms=1000\n' \
  "$work/kafka-logs" "$work/state" > "$work/unreachable.properties"
bench "local (no cluster)" "$work/local.properties"
bench "cluster unreachable (1 s)" "$work/unreachable.properties"
