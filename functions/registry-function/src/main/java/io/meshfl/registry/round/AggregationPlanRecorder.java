package io.meshfl.registry.round;

import io.meshfl.registry.api.AggregationPlan;
import io.meshfl.registry.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Keeps the aggregation plan the function made when it closed a round (issue 18). Only an AGGREGATING round takes
 * one: the plan is the current lease holder's (a takeover may re-plan with other settings; the last one recorded is
 * the one whose nodes run). The registry checks the plan's shape, not its arithmetic: it is the function's to make.
 */
@ApplicationScoped
public class AggregationPlanRecorder {

    public Uni<RoundView> record(Long roundId, AggregationPlan plan) {
        validate(plan);
        return Panache.withTransaction(() -> Round.<Round>findById(roundId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .chain(round -> {
                    if (round.state != Round.State.AGGREGATING) {
                        throw Problem.conflict("Round " + roundId + " is " + round.state
                                + ": a plan is recorded while the round aggregates", "round", RoundView.of(round));
                    }
                    if (plan.equals(round.aggregationPlan)) {
                        return Uni.createFrom().item(RoundView.of(round));
                    }
                    round.aggregationPlan = plan;
                    return Panache.flush().replaceWith(() -> RoundView.of(round));
                }));
    }

    private static void validate(AggregationPlan plan) {
        if (plan == null) {
            throw Problem.invalid("plan", "is required");
        }
        if (plan.planId() == null || !plan.planId().matches("[0-9a-f]{1,64}")) {
            throw Problem.invalid("planId", "must be lower-case hex (the tree's key segment)");
        }
        if (plan.shards() < 1 || plan.fanout() < 2 || plan.depth() < 1 || plan.invocations() < 1
                || plan.updates() < 1 || plan.updateBytes() < 1) {
            throw Problem.invalid("plan", "needs shards ≥ 1, fanout ≥ 2, depth ≥ 1, invocations ≥ 1, updates ≥ 1 "
                    + "and updateBytes ≥ 1");
        }
    }
}
