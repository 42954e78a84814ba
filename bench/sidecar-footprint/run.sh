#!/usr/bin/env bash
# Footprint of the running sidecar: resident memory and CPU share of `guardian run` (the real
# distribution) watching a synthetic archive log dir of 2,000 partitions x 50 segments (~400,000
# files, bench/scan's generator) at scan.interval.ms=10000, sampled from /proc for 10 minutes.
# Goals (issue 4): median and max RSS < 150 MB, CPU < 2% of one core.
#
# Usage: bench/sidecar-footprint/run.sh [seconds=600] [partitions=2000] [segments=50]
# Env:   GUARDIAN_OPTS (JVM options, passed to bin/guardian), WORK (default /tmp), SAMPLE_SECONDS (5),
#        SKIP_BUILD=1 (use the existing guardian/target/dist), SCAN_INTERVAL_MS (10000),
#        CLUSTER_VIEW=1 (a real broker in a process of its own, and the sidecar publishes heartbeats to it
#        and runs the Kafka Streams cluster view; only the sidecar's process is measured)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
duration=${1:-600}
partitions=${2:-2000}
segments=${3:-50}
step=${SAMPLE_SECONDS:-5}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  ./mvnw -q -B -o -pl guardian -am package -DskipTests
fi
dist="$root/guardian/target/dist"
jna_version="$(sed -n 's:.*<jna.version>\(.*\)</jna.version>.*:\1:p' pom.xml)"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
classpath="$root/guardian/target/classes:$repo/net/java/dev/jna/jna/$jna_version/jna-$jna_version.jar"

work="$(mktemp -d "${WORK:-/tmp}/guardian-footprint.XXXXXX")"
pid=""
broker_pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" 2>/dev/null || true; fi
  if [ -n "$broker_pid" ] && kill -0 "$broker_pid" 2>/dev/null; then kill "$broker_pid"; wait "$broker_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

java -Dbench.buildOnly=true -cp "$classpath" "$root/bench/scan/ScanBenchmark.java" "$work" "$partitions" "$segments"
logdir="$work/kafka-logs"
printf 'scan.interval.ms=%s\n' "${SCAN_INTERVAL_MS:-10000}" > "$work/guardian.properties"
view="off"
if [ "${CLUSTER_VIEW:-0}" = 1 ]; then
  ./mvnw -q -B -o -pl guardian -am compile dependency:build-classpath -Dmdep.includeScope=runtime \
    -Dmdep.outputFile="$work/classpath.txt"
  java -Xmx512m -cp "$root/guardian/target/classes:$(cat "$work/classpath.txt")" \
    "$root/bench/cluster-view/BrokerMain.java" "$work/broker" > "$work/broker.out" 2>&1 &
  broker_pid=$!
  for _ in $(seq 240); do grep -q '^bootstrap=' "$work/broker.out" && break; sleep 0.5; done
  bootstrap="$(sed -n 's/^bootstrap=//p' "$work/broker.out")"
  [ -n "$bootstrap" ] || { echo "the broker did not start:"; tail -20 "$work/broker.out"; exit 1; }
  printf 'bootstrap.servers=%s\nnode.id=1\nstate.dir=%s\n' "$bootstrap" "$work/state" >> "$work/guardian.properties"
  view="on (broker $bootstrap)"
fi

mkdir -p "$root/bench/results"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
out="$root/bench/results/sidecar-footprint-$stamp.txt"
csv="$root/bench/results/sidecar-footprint-$stamp.csv"

"$dist/bin/guardian" run --config "$work/guardian.properties" --logdir "$logdir" \
  --http-listen 127.0.0.1:0 > "$work/stdout" 2> "$work/stderr" &
pid=$!
hz=$(getconf CLK_TCK)
start=$(date +%s.%N)

cpu_ticks() { # utime + stime: fields 14 and 15, counted after the ")" that ends the command name
  sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}'
}
rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$pid/status"; }

echo "seconds,rss_kib,cpu_ticks" > "$csv"
deadline=$(echo "$start + $duration" | bc)
while :; do
  now=$(date +%s.%N)
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "guardian exited early:"; cat "$work/stdout" "$work/stderr"; exit 1
  fi
  printf '%s,%s,%s\n' "$(echo "$now - $start" | bc)" "$(rss_kib)" "$(cpu_ticks)" >> "$csv"
  if [ "$(echo "$now >= $deadline" | bc)" = 1 ]; then break; fi
  sleep "$step"
done
url="$(sed -n 's/.*HTTP on \(http[^ ]*\).*/\1/p' "$work/stdout" | head -1)"
metrics="$(curl -fsS "$url/metrics" || true)"

{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) cpus, $(java -version 2>&1 | head -1)"
  echo "# log dir: $partitions partitions x $segments segments on $(df -T "$work" | awk 'NR==2{print $2}'), scan.interval.ms=${SCAN_INTERVAL_MS:-10000}"
  echo "# GUARDIAN_OPTS=${GUARDIAN_OPTS:-(launcher default)}; cluster view $view"
  awk -F, -v hz="$hz" 'NR > 1 {
      n++; t[n] = $1; rss[n] = $2; cpu[n] = $3
    }
    END {
      # median and max RSS over all samples after the first pass started (all of them)
      m = n; for (i = 1; i <= m; i++) s[i] = rss[i]
      for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (s[j] < s[i]) { x = s[i]; s[i] = s[j]; s[j] = x }
      median = (m % 2) ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
      # steady state: from the first sample at or after 60 s (start-up and the first full scan excluded)
      for (k = 1; k <= n && t[k] < 60; k++) ;
      printf "samples                    %d over %.0f s\n", n, t[n]
      printf "RSS median                 %.1f MiB\n", median / 1024
      printf "RSS max                    %.1f MiB\n", s[m] / 1024
      printf "CPU, whole run             %.2f%% of one core (%.1f s CPU in %.0f s)\n", 100 * cpu[n] / hz / t[n], cpu[n] / hz, t[n]
      if (k < n) {
        printf "CPU, steady (after 60 s)   %.2f%% of one core\n", 100 * (cpu[n] - cpu[k]) / hz / (t[n] - t[k])
        printf "CPU, first 60 s            %.1f s (JVM start-up and the first full scan)\n", cpu[k] / hz
      }
    }' "$csv"
  echo "$metrics" | grep -E '^guardian_scan_duration_seconds_(count|sum|max)|^jvm_memory_used_bytes\{area="heap"|^guardian_cluster_brokers|^guardian_heartbeats_dropped' || true
  echo "goal: RSS < 150 MB (143 MiB), CPU < 2% of one core; with the cluster view: RSS < 160 MiB"
} | tee "$out"
echo "results: $out (samples: $csv)"
