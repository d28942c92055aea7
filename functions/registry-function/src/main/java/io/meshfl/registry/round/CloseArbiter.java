package io.meshfl.registry.round;

import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.update.RoundUpdate;
import io.meshfl.registry.update.UpdateViews;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

/**
 * Decides which caller wins a round's close (the aggregation function's {@code RoundCloser} asks, over HTTP, and
 * aggregates if it won). Closes a round as a compare-and-set: the round row is locked FOR UPDATE, {@link RoundProgress} decides on the
 * database's clock whether a close is due (OPEN with its quorum and everyone in or the deadline passed, or
 * AGGREGATING with an expired lease), and only then does the round move to AGGREGATING under a new lease. Among any
 * number of concurrent callers exactly one wins; every other caller, and every caller of a round that is not due,
 * gets a 409 saying why.
 */
@ApplicationScoped
public class CloseArbiter {

    public static final long DEFAULT_LEASE_SECONDS = 300;
    public static final long MAX_LEASE_SECONDS = 86_400;

    private final UpdateViews views;
    private final RoundMetrics metrics;
    private final ProgressReader progress;

    public CloseArbiter(UpdateViews views, RoundMetrics metrics, ProgressReader progress) {
        this.views = views;
        this.metrics = metrics;
        this.progress = progress;
    }

    public Uni<CloseResult> close(Long roundId, CloseRequest request) {
        long leaseSeconds = request == null || request.leaseSeconds() == null ? DEFAULT_LEASE_SECONDS : request.leaseSeconds();
        if (leaseSeconds < 1 || leaseSeconds > MAX_LEASE_SECONDS) {
            throw Problem.invalid("leaseSeconds", "must be between 1 and " + MAX_LEASE_SECONDS + ", was " + leaseSeconds);
        }
        return Panache.withTransaction(() -> Round.<Round>findById(roundId, LockModeType.PESSIMISTIC_WRITE)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .chain(progress::of)
                        .chain(now -> take(now, leaseSeconds)))
                .call(metrics::refreshOpenRounds);
    }

    private Uni<CloseResult> take(RoundProgress progress, long leaseSeconds) {
        Round round = progress.round();
        boolean due = progress.due().filter(action -> action != RoundProgress.Action.EXPIRE).isPresent();
        if (!due) {
            throw Problem.conflict("Round " + round.id + " was not closed: " + progress.waiting(), "round",
                    RoundView.of(round));
        }
        round.state = Round.State.AGGREGATING;
        round.aggregatingSince = progress.now();
        round.leaseUntil = progress.now().plusSeconds(leaseSeconds);
        return Panache.flush().chain(() -> RoundUpdate.<RoundUpdate>list(
                        "roundId = ?1 and status = ?2 order by domainId", round.id, RoundUpdate.Status.ACCEPTED))
                .map(accepted -> new CloseResult(RoundView.of(round), round.leaseUntil,
                        accepted.stream().map(u -> views.of(u, false)).toList()));
    }
}
