package io.meshfl.registry.round;

import io.meshfl.registry.events.RoundEvents;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.problem.Problem;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Ends an OPEN round that passed its deadline below its quorum: FAILED with a reason naming the numbers and the
 * missing domains, and, unless the policy says {@code onQuorumMissed: stop}, the next round opened on the same
 * global model in the same transaction. Exactly once: the round row is locked FOR UPDATE, {@link RoundProgress}
 * decides on the database's clock, and a repeated expiry answers as the first did without publishing again.
 */
@ApplicationScoped
public class RoundExpirer {

    private final ProgressReader progress;
    private final RoundOpener opener;
    private final RoundEvents events;
    private final RoundMetrics metrics;

    public RoundExpirer(ProgressReader progress, RoundOpener opener, RoundEvents events, RoundMetrics metrics) {
        this.progress = progress;
        this.opener = opener;
        this.events = events;
        this.metrics = metrics;
    }

    private record Outcome(ExpiryResult result, boolean firstTime) {
    }

    public Uni<ExpiryResult> expire(Long roundId) {
        return Panache.withTransaction(() -> Round.<Round>findById(roundId, LockModeType.PESSIMISTIC_WRITE)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .chain(round -> round.state == Round.State.FAILED ? repeated(round)
                                : progress.of(round).chain(this::expire))
                        .call(outcome -> outcome.firstTime() ? announce(outcome.result()) : Uni.createFrom().voidItem()))
                .call(outcome -> outcome.firstTime() ? metrics.refreshOpenRounds() : Uni.createFrom().voidItem())
                .map(Outcome::result);
    }

    /** In the expiry's transaction: the outbox then holds these events if and only if it committed. */
    private Uni<Void> announce(ExpiryResult result) {
        RoundView failed = result.failed();
        RoundView next = result.next();
        return events.record(RoundEvents.ROUND_FAILED, failed.model(), failed.number(), failed)
                .call(() -> next == null ? Uni.createFrom().voidItem()
                        : events.record(RoundEvents.ROUND_OPENED, next.model(), next.number(), next));
    }

    private Uni<Outcome> expire(RoundProgress progress) {
        Round round = progress.round();
        if (progress.due().filter(action -> action == RoundProgress.Action.EXPIRE).isEmpty()) {
            String why = progress.due().isPresent() ? "it has its quorum (" + progress.accepted().size() + " of "
                    + progress.quorum() + " required updates): close it instead" : progress.waiting();
            throw Problem.conflict("Round " + round.id + " was not expired: " + why, "round", RoundView.of(round));
        }
        round.state = Round.State.FAILED;
        round.failureReason = progress.quorumMissed();
        round.closedAt = progress.now();
        round.leaseUntil = null;
        if (!progress.policy().retriesOnQuorumMissed()) {
            return Panache.flush().replaceWith(new Outcome(new ExpiryResult(RoundView.of(round), null), true));
        }
        return Model.<Model>findById(round.modelId)
                .chain(model -> opener.open(model, round.number + 1, round.globalModelKey))
                .call(next -> Panache.flush())
                .map(next -> new Outcome(new ExpiryResult(RoundView.of(round), RoundView.of(next)), true));
    }

    /** The same expiry again (a second sweeper, a retried call): the first answer, nothing published twice. */
    private Uni<Outcome> repeated(Round round) {
        if (round.failureReason == null || !round.failureReason.startsWith(RoundProgress.QUORUM_MISSED)) {
            throw Problem.conflict("Round " + round.id + " FAILED: " + round.failureReason, "round",
                    RoundView.of(round));
        }
        return Round.<Round>find("modelId = ?1 and number = ?2", round.modelId, round.number + 1).<Round>firstResult()
                .map(next -> new Outcome(new ExpiryResult(RoundView.of(round),
                        next == null ? null : RoundView.of(next)), false));
    }
}
