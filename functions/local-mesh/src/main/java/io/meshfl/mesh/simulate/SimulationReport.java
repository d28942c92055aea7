package io.meshfl.mesh.simulate;

import io.meshfl.core.shard.ShardedAggregation;
import io.meshfl.mesh.simulate.AggregationSimulation.Measured;
import io.meshfl.mesh.simulate.AggregationSimulation.Settings;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The simulation's summary: per node kind, then totals, then one JSON line for scripts. */
final class SimulationReport {

    private SimulationReport() {
    }

    static void print(PrintStream out, Settings settings, double wall, List<Measured> measured,
            ShardedAggregation.Result result, Boolean equal) {
        Map<String, List<Measured>> kinds = new TreeMap<>(measured.stream().collect(Collectors.groupingBy(m -> kind(
                m.invocation().node()))));
        out.printf(Locale.ROOT, "%-7s %6s %14s %14s %14s %10s %10s %8s%n", "node", "count", "max read B",
                "max heap B", "max scratch B", "mean ms", "max ms", "GETs");
        kinds.forEach((kind, list) -> out.printf(Locale.ROOT, "%-7s %6d %14d %14d %14d %10.0f %10d %8d%n", kind,
                list.size(), max(list, Measured::bytesRead), max(list, Measured::heapAllocated),
                max(list, m -> m.invocation().scratchBytes()),
                list.stream().mapToLong(Measured::millis).average().orElse(0), max(list, Measured::millis),
                list.stream().mapToLong(Measured::gets).sum()));
        long bytes = measured.stream().mapToLong(Measured::bytesRead).sum();
        long requests = measured.stream().mapToLong(m -> m.gets() + m.puts() + m.otherRequests()).sum();
        out.printf(Locale.ROOT, "wall %.2f s, %d invocations, %d bytes read (%.2f GB/s), %d S3 requests, "
                + "plan %s, published sha256 %s%n", wall, measured.size(), bytes, bytes / wall / 1e9, requests,
                result.planId(), result.sha256());
        out.printf(Locale.ROOT, "{\"wallSeconds\":%.3f,\"invocations\":%d,\"bytesRead\":%d,\"maxHeapBytes\":%d,"
                + "\"maxScratchBytes\":%d,\"equalsSingleAggregator\":%s}%n", wall, measured.size(), bytes,
                max(measured, Measured::heapAllocated), max(measured, m -> m.invocation().scratchBytes()),
                equal == null ? "null" : equal.toString());
    }

    /** "s3/l0-12" is a leaf, "s3/l1-0" an inner node, then "norm", "clip" (DP), "root", "direct", "stitch", …. */
    private static String kind(String node) {
        String name = node.substring(node.indexOf('/') + 1);
        if (name.startsWith("l0-")) {
            return "leaf";
        }
        return name.startsWith("l") ? "inner" : name.replaceAll("-\\d+$", "");
    }

    private static long max(List<Measured> list, java.util.function.ToLongFunction<Measured> value) {
        return list.stream().mapToLong(value).max().orElse(0);
    }
}
