#!/usr/bin/env bash
# MeshFL end-to-end round benchmark: K updates of P float32 values in a local S3 server (S3Proxy, filesystem
# blobs) → the next global model in the store, FedAvg: download only vs streaming vs download-then-map, with
# scratch space and the CPU seconds of both processes, in one run. Usage: bench/end-to-end.sh [--size 10000000]
# [--count 100] [--repeat 2] [--lines download,hashed,streaming,mapped]
# Needs about 2 × K × P × 4 bytes of disk (the S3 server's blobs, and scratch for download-then-map).
# Holds the shared Maven lock for the whole run, like bench/run.sh.
set -euo pipefail
lock=/tmp/meshfl-mvn.lock
parent="$(tr '\0' ' ' </proc/$PPID/cmdline 2>/dev/null || true)"
if [[ -z "${MESHFL_BENCH_LOCKED:-}" && "$parent" != flock*"$lock"* ]]; then
  MESHFL_BENCH_LOCKED=1 exec flock "$lock" "$0" "$@"
fi
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
./mvnw -B -ntp -o -q test-compile dependency:build-classpath -pl aggregation-function -am \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath >/dev/null
module=aggregation-function
cp="$module/target/classes:$module/target/test-classes:$(cat $module/target/bench.classpath)"
work="$module/target/bench-e2e"
rm -rf "$work" # the S3 server's blobs of a previous run (GBs)
mkdir -p "$work"
echo "load before: $(uptime)"
"${BENCH_JAVA:-java}" -Xmx1g -Dmeshfl.test.work-dir="$work/services" -cp "$cp" \
  io.meshfl.aggregation.round.StreamingRoundBenchmark --dir "$work" "$@"
echo "load after: $(uptime)"
rm -rf "$work"
