package io.meshfl.registry.round;

import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.update.RoundUpdate;
import io.meshfl.registry.update.UpdateViews;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.panache.common.Parameters;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;

/**
 * Closes a round as a compare-and-set: one conditional UPDATE moves it OPEN → AGGREGATING (or takes over an
 * AGGREGATING round whose lease expired), so among any number of concurrent callers exactly one wins; the
 * others learn the winner's state as a 409.
 */
@ApplicationScoped
public class RoundCloser {

    public static final long DEFAULT_LEASE_SECONDS = 300;
    public static final long MAX_LEASE_SECONDS = 86_400;

    private static final String CLOSE = """
            state = :aggregating, aggregatingSince = :now, leaseUntil = :leaseUntil, version = version + 1
            where id = :id and (state = :open or (state = :aggregating and leaseUntil < :now))""";

    private final UpdateViews views;
    private final RoundMetrics metrics;

    public RoundCloser(UpdateViews views, RoundMetrics metrics) {
        this.views = views;
        this.metrics = metrics;
    }

    public Uni<CloseResult> close(Long roundId, CloseRequest request) {
        long leaseSeconds = request == null || request.leaseSeconds() == null ? DEFAULT_LEASE_SECONDS : request.leaseSeconds();
        if (leaseSeconds < 1 || leaseSeconds > MAX_LEASE_SECONDS) {
            throw Problem.invalid("leaseSeconds", "must be between 1 and " + MAX_LEASE_SECONDS + ", was " + leaseSeconds);
        }
        OffsetDateTime now = OffsetDateTime.now();
        OffsetDateTime leaseUntil = now.plusSeconds(leaseSeconds);
        return Panache.withTransaction(() -> Round.update(CLOSE, Parameters.with("aggregating", Round.State.AGGREGATING)
                                .and("open", Round.State.OPEN).and("now", now).and("leaseUntil", leaseUntil).and("id", roundId))
                        .chain(won -> won == 1 ? winner(roundId) : loser(roundId)))
                .call(metrics::refreshOpenRounds);
    }

    private Uni<CloseResult> winner(Long roundId) {
        return Round.<Round>findById(roundId).chain(round -> RoundUpdate.<RoundUpdate>list(
                        "roundId = ?1 and status = ?2 order by domainId", roundId, RoundUpdate.Status.ACCEPTED)
                .map(accepted -> new CloseResult(RoundView.of(round), round.leaseUntil,
                        accepted.stream().map(u -> views.of(u, false)).toList())));
    }

    private Uni<CloseResult> loser(Long roundId) {
        return Round.<Round>findById(roundId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .map(round -> {
                    String why = round.state == Round.State.AGGREGATING
                            ? "another caller holds round " + round.number + " until " + round.leaseUntil
                            : "round " + round.number + " is " + round.state;
                    throw Problem.conflict("Round " + roundId + " was not closed: " + why, "round", RoundView.of(round));
                });
    }
}
