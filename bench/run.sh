#!/usr/bin/env bash
# MeshFL aggregation benchmark: FedAvg, median and trimmed mean over K update files of P float32 values,
# against this machine's streaming-read bandwidth and the numpy (Flower-style) baseline, in one run; each strategy
# with the positional reader (the default) and the memory-mapped one, on the same files.
# Usage: [BENCH_JAVA=/path/to/java] bench/run.sh [--sizes 1000000,10000000] [--counts 10,100] [--strategies …]
#        [--repeat 3] [--dir DIR]
# BENCH_JAVA runs the same Java 17 bytecode on another JVM (e.g. a newer one whose JIT vectorises more).
# Files are generated once under DIR (default functions/core/target/bench; P=10M, K=100 needs 4 GB of disk).
# The whole run (compile and measurements) holds the shared Maven lock, so no build on a shared machine runs
# during a measurement; it is also safe under `flock /tmp/meshfl-mvn.lock bench/run.sh …`.
set -euo pipefail
lock=/tmp/meshfl-mvn.lock
parent="$(tr '\0' ' ' </proc/$PPID/cmdline 2>/dev/null || true)"
if [[ -z "${MESHFL_BENCH_LOCKED:-}" && "$parent" != flock*"$lock"* ]]; then
  MESHFL_BENCH_LOCKED=1 exec flock "$lock" "$0" "$@"
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# Compile core's test classes (the runner lives there) and write their classpath.
./mvnw -B -ntp -o -q test-compile dependency:build-classpath -pl functions/core -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
cp="functions/core/target/classes:functions/core/target/test-classes:$(cat functions/core/target/bench.classpath)"
# The load average with the lock held (other helpers' builds wait), before and after: report it with the figures.
echo "load before: $(uptime)"
"${BENCH_JAVA:-java}" -Xmx1g -cp "$cp" io.meshfl.core.bench.AggregationBenchmark \
  --dir functions/core/target/bench --numpy bench/numpy_baseline.py "$@"
echo "load after: $(uptime)"
