package io.meshfl.registry.round;

import io.meshfl.registry.api.AggregationPlan;
import io.meshfl.registry.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Keeps the aggregation plan the function made when it closed a round (issue 18). Only an AGGREGATING round takes
 * one, and only from the current lease holder: the caller names the lease its close won ({@code leaseUntil}), the
 * round row is locked, and a plan under any other lease is refused with 409 — a stale closer whose lease a take-over
 * replaced cannot overwrite the take-over's plan (a take-over may re-plan with other settings; its plan is the one
 * whose nodes run). The registry checks the plan's shape, not its arithmetic: it is the function's to make.
 */
@ApplicationScoped
public class AggregationPlanRecorder {

    public Uni<RoundView> record(Long roundId, AggregationPlan plan, String leaseUntil) {
        validate(plan);
        Instant lease = lease(leaseUntil);
        return Panache.withTransaction(() -> Round.<Round>findById(roundId, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .chain(round -> {
                    if (round.state != Round.State.AGGREGATING) {
                        throw Problem.conflict("Round " + roundId + " is " + round.state
                                + ": a plan is recorded while the round aggregates", "round", RoundView.of(round));
                    }
                    Instant held = round.leaseUntil == null ? null
                            : round.leaseUntil.toInstant().truncatedTo(ChronoUnit.MICROS);
                    if (!lease.equals(held)) {
                        throw Problem.conflict("Round " + roundId + " is held under the lease until " + held
                                + ", not the " + lease + " this plan names: only the current lease holder's plan is "
                                + "recorded (a take-over replaced that close)", "round", RoundView.of(round));
                    }
                    if (plan.equals(round.aggregationPlan)) {
                        return Uni.createFrom().item(RoundView.of(round));
                    }
                    round.aggregationPlan = plan;
                    return Panache.flush().replaceWith(() -> RoundView.of(round));
                }));
    }

    private static Instant lease(String leaseUntil) {
        if (leaseUntil == null || leaseUntil.isBlank()) {
            throw Problem.invalid("leaseUntil", "is required: the lease until which the caller's close holds the round");
        }
        try {
            return Instant.parse(leaseUntil).truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            throw Problem.invalid("leaseUntil", "must be an ISO-8601 instant such as 2026-12-03T04:00:00.123456Z, was "
                    + leaseUntil);
        }
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
