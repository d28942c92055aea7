package io.meshfl.mesh.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.mesh.federation.RoundOutcome;
import io.meshfl.mesh.report.RoundResult;
import io.meshfl.mesh.report.Timeline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code --aggregation compare}: the synchronous and the asynchronous run of one demo, on the same mesh, data and
 * initial model, both after an unmeasured warm-up round (so neither pays the functions' cold start), measured alike
 * (the sum of their rounds' or buffers' wall times, every global model evaluated on
 * the same hold-out set). The figure issue 15 asks for: the async run's time until it first reached the sync run's
 * final accuracy less one point, as a share of the sync run's wall time.
 *
 * @param asyncSecondsToTarget null if no buffer reached the target
 */
record ModeComparison(double target, int syncRounds, double syncWallSeconds, double syncFinalAccuracy,
                      int asyncBuffers, double asyncWallSeconds, Double asyncSecondsToTarget, Integer asyncBufferAtTarget) {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The rounds and buffers up to {@code rounds} of each run, measured by {@code results}. */
    static ModeComparison of(RoundResults results, List<RoundOutcome> sync, List<RoundOutcome> async, int rounds) {
        return of(measured(results, sync, rounds), measured(results, async, rounds));
    }

    static ModeComparison of(List<RoundResult> sync, List<RoundResult> async) {
        if (sync.isEmpty()) {
            throw new IllegalStateException("The synchronous run recorded no round to compare with");
        }
        double syncFinal = sync.get(sync.size() - 1).accuracy();
        double target = syncFinal - Timeline.DEFAULT_MARGIN;
        double asyncElapsed = 0;
        Double toTarget = null;
        Integer bufferAtTarget = null;
        for (RoundResult buffer : async) {
            asyncElapsed += buffer.seconds();
            if (toTarget == null && buffer.accuracy() >= target) {
                toTarget = asyncElapsed;
                bufferAtTarget = buffer.round();
            }
        }
        return new ModeComparison(target, sync.size(), wall(sync), syncFinal, async.size(), asyncElapsed, toTarget,
                bufferAtTarget);
    }

    private static List<RoundResult> measured(RoundResults results, List<RoundOutcome> outcomes, int rounds) {
        return outcomes.stream().filter(outcome -> outcome.round() <= rounds).map(results::of).toList();
    }

    private static double wall(List<RoundResult> rounds) {
        return rounds.stream().mapToDouble(RoundResult::seconds).sum();
    }

    /** The async run's time to target over the sync run's wall time; null if the target was never reached. */
    Double ratio() {
        return asyncSecondsToTarget == null ? null : asyncSecondsToTarget / syncWallSeconds;
    }

    /** Adds {@code comparison} to summary.json. */
    void addTo(Path summaryJson) {
        try {
            ObjectNode summary = (ObjectNode) JSON.readTree(summaryJson.toFile());
            ObjectNode comparison = summary.putObject("comparison");
            comparison.put("target", target);
            ObjectNode syncNode = comparison.putObject("sync");
            syncNode.put("rounds", syncRounds);
            syncNode.put("wall_seconds", syncWallSeconds);
            syncNode.put("final_accuracy", syncFinalAccuracy);
            ObjectNode asyncNode = comparison.putObject("async");
            asyncNode.put("buffers", asyncBuffers);
            asyncNode.put("wall_seconds", asyncWallSeconds);
            asyncNode.put("seconds_to_target", asyncSecondsToTarget);
            asyncNode.put("buffer_at_target", asyncBufferAtTarget);
            comparison.put("async_share_of_sync_wall_time", ratio());
            JSON.writeValue(summaryJson.toFile(), summary);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot add the comparison to " + summaryJson, e);
        }
    }

    String line() {
        String async = asyncSecondsToTarget == null
                ? String.format(Locale.ROOT, "never reached %.4f in %d buffers (%.1f s)", target, asyncBuffers,
                        asyncWallSeconds)
                : String.format(Locale.ROOT, "reached %.4f (that less 1 point) after %.1f s (buffer %d): %.1f %% of the"
                        + " sync wall time", target, asyncSecondsToTarget, asyncBufferAtTarget, 100 * ratio());
        return String.format(Locale.ROOT, "Compared in this run: sync reached %.4f after %d rounds in %.1f s; async %s.",
                syncFinalAccuracy, syncRounds, syncWallSeconds, async);
    }
}
