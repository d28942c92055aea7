package io.meshfl.registry.dashboard;

import io.meshfl.registry.round.Round;
import io.meshfl.registry.update.RoundUpdate;
import java.time.Duration;
import java.util.List;

/** One line of a model's rounds table: the round, the fate of its updates, and a sharded round's plan. */
public record RoundRow(int number, Round.State state, String openedAt, String closedAt, String duration,
                       long accepted, long rejected, String failureReason, String plan) {

    public static RoundRow of(Round round, List<RoundUpdate> updates) {
        long accepted = updates.stream().filter(u -> u.status == RoundUpdate.Status.ACCEPTED).count();
        // A round lasts from opening to completion (or failure); an open one is still running.
        String duration = round.closedAt == null ? "running"
                : DisplayFormats.duration(Duration.between(round.openedAt, round.closedAt));
        return new RoundRow(round.number, round.state, DisplayFormats.time(round.openedAt),
                DisplayFormats.time(round.closedAt), duration, accepted, updates.size() - accepted,
                round.failureReason == null ? "" : round.failureReason, plan(round.aggregationPlan));
    }

    /** A sharded round's plan in a few words; empty for a round aggregated by one invocation. */
    static String plan(io.meshfl.registry.api.AggregationPlan plan) {
        if (plan == null) {
            return "";
        }
        return plan.shards() + " shards × fan-in " + plan.fanout() + ", depth " + plan.depth() + ", "
                + plan.invocations() + " invocations";
    }

    /** The CSS class that colours the state badge. */
    public String stateClass() {
        return "state-" + state.name().toLowerCase(java.util.Locale.ROOT);
    }
}
