#!/usr/bin/env bash
# Benchmark of the drop planner: a synthetic 100,000-partition x RF 3 snapshot, planned in one JVM
# after warm-up. Run from anywhere after the guardian module was compiled (./mvnw -o -pl guardian -am test-compile).
# Arguments are passed on: [partitions] [brokers] [dirsPerBroker] [needShare] [runs]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
classes="$root/guardian/target/classes"
if [ ! -d "$classes/io/archiveguardian/guardian/drop" ]; then
  ./mvnw -q -B -o -pl guardian -am compile
fi
# The planner needs only kafka-clients (TopicPartition) at run time; take it from the local Maven repository.
kafka_version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/pom.xml")"
repo="${MAVEN_REPO:-$HOME/.m2/repository}"
clients="$repo/org/apache/kafka/kafka-clients/$kafka_version/kafka-clients-$kafka_version.jar"
[ -f "$clients" ] || { echo "missing $clients: build the project once (./mvnw -pl guardian -am test-compile)" >&2; exit 1; }
java -Xmx2g -cp "$classes:$clients" "$here/DropPlannerBench.java" "$@"
