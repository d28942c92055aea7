package io.meshfl.registry.round;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.update.RoundUpdate;
import io.meshfl.registry.version.ModelVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Ends an AGGREGATING round: complete (CLOSED, records global model version r+1 and opens round r+1, all in one
 * transaction) or fail (FAILED with a reason). Both are idempotent: repeating the same request answers as the
 * first time did, because a retrying or taken-over aggregator must not be told it failed when it did not.
 */
@ApplicationScoped
public class RoundFinisher {

    private final RoundOpener opener;
    private final ModelService models;
    private final JsonColumns json;
    private final RoundEvents events;
    private final RoundMetrics metrics;
    private final DatabaseClock clock;

    public RoundFinisher(RoundOpener opener, ModelService models, JsonColumns json, RoundEvents events,
                         RoundMetrics metrics, DatabaseClock clock) {
        this.clock = clock;
        this.opener = opener;
        this.models = models;
        this.json = json;
        this.events = events;
        this.metrics = metrics;
    }

    private record Outcome(CompletionResult result, boolean firstTime) {
    }

    private record Failure(Round round, boolean firstTime) {
    }

    public Uni<CompletionResult> complete(Long roundId, Completion completion) {
        validate(completion);
        return retryingOnce(() -> Panache.withTransaction(() -> Round.<Round>findById(roundId)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .chain(round -> switch (round.state) {
                            case AGGREGATING -> close(round, completion);
                            case CLOSED -> repeated(round, completion);
                            case OPEN -> throw Problem.conflict("Round " + roundId + " is OPEN: close it before completing",
                                    "round", RoundView.of(round));
                            case FAILED -> throw Problem.conflict("Round " + roundId + " FAILED: " + round.failureReason,
                                    "round", RoundView.of(round));
                        })
                        .call(outcome -> outcome.firstTime() ? announce(outcome.result()) : Uni.createFrom().voidItem())))
                .call(outcome -> outcome.firstTime() ? metrics.refreshOpenRounds() : Uni.createFrom().voidItem())
                .invoke(outcome -> {
                    if (outcome.firstTime()) {
                        RoundView closed = outcome.result().closed();
                        metrics.roundClosed(closed.aggregatingSince(), closed.closedAt());
                    }
                })
                .map(Outcome::result);
    }

    /** In the transaction of the change: the outbox then holds these events if and only if it committed. */
    private Uni<Void> announce(CompletionResult result) {
        RoundView closed = result.closed();
        RoundView next = result.next();
        return events.record(RoundEvents.ROUND_CLOSED, closed.model(), closed.number(), result)
                .call(() -> events.record(RoundEvents.ROUND_OPENED, next.model(), next.number(), next));
    }

    public Uni<RoundView> fail(Long roundId, FailureRequest request) {
        if (request == null || request.reason() == null || request.reason().isBlank()) {
            throw Problem.invalid("reason", "is required");
        }
        return retryingOnce(() -> Panache.withTransaction(() -> Round.<Round>findById(roundId)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .chain(round -> {
                            if (round.state == Round.State.FAILED) {
                                return Uni.createFrom().item(new Failure(round, false));
                            }
                            if (round.state == Round.State.CLOSED) {
                                throw Problem.conflict("Round " + roundId + " is already CLOSED", "round", RoundView.of(round));
                            }
                            return clock.now().chain(now -> {
                                round.state = Round.State.FAILED;
                                round.failureReason = request.reason();
                                round.closedAt = now;
                                round.leaseUntil = null;
                                return Panache.flush().replaceWith(new Failure(round, true));
                            });
                        })
                        .call(failure -> !failure.firstTime() ? Uni.createFrom().voidItem() : events.record(
                                RoundEvents.ROUND_FAILED, failure.round().modelId, failure.round().number,
                                RoundView.of(failure.round())))))
                .call(failure -> failure.firstTime() ? metrics.refreshOpenRounds() : Uni.createFrom().voidItem())
                .map(failure -> RoundView.of(failure.round()));
    }

    private Uni<Outcome> close(Round round, Completion completion) {
        return Model.<Model>findById(round.modelId).chain(model -> RoundUpdate.<RoundUpdate>list(
                "roundId = ?1 and status = ?2", round.id, RoundUpdate.Status.ACCEPTED).chain(accepted -> {
            checkAgainst(round, model, accepted, completion);
            return clock.now().chain(now -> record(round, model, completion, now));
        }));
    }

    private Uni<Outcome> record(Round round, Model model, Completion completion, OffsetDateTime now) {
        round.state = Round.State.CLOSED;
        round.closedAt = now;
        round.leaseUntil = null;
        ModelVersion version = new ModelVersion();
        version.modelId = round.modelId;
        version.number = round.number + 1;
        version.objectKey = completion.globalModelKey();
        version.checksum = completion.checksum();
        version.aggregatedFrom = json.write(completion.aggregatedFrom().stream().sorted().toList());
        version.strategyStateKey = completion.strategyStateKey();
        version.producedByRoundId = round.id;
        return version.persist()
                .chain(v -> opener.open(model, round.number + 1, completion.globalModelKey()))
                .call(next -> Panache.flush())
                .map(next -> new Outcome(new CompletionResult(RoundView.of(round), RoundView.of(next)), true));
    }

    private Uni<Outcome> repeated(Round round, Completion completion) {
        return ModelVersion.<ModelVersion>find("modelId = ?1 and number = ?2", round.modelId, round.number + 1)
                .<ModelVersion>firstResult()
                .chain(version -> {
                    boolean same = version != null && version.objectKey.equals(completion.globalModelKey())
                            && completion.checksum().equals(version.checksum)
                            && Set.copyOf(json.strings(version.aggregatedFrom)).equals(Set.copyOf(completion.aggregatedFrom()));
                    if (!same) {
                        throw Problem.conflict("Round " + round.id + " was already completed with a different result "
                                + "(checksum " + (version == null ? null : version.checksum) + ")", "round", RoundView.of(round));
                    }
                    return Round.<Round>find("modelId = ?1 and number = ?2", round.modelId, round.number + 1).<Round>firstResult()
                            .map(next -> new Outcome(new CompletionResult(RoundView.of(round), RoundView.of(next)), false));
                });
    }

    private void checkAgainst(Round round, Model model, List<RoundUpdate> accepted, Completion completion) {
        FieldErrors errors = new FieldErrors();
        String expectedKey = ObjectKeys.globalModel(round.modelId, round.number + 1);
        if (!expectedKey.equals(completion.globalModelKey())) {
            errors.add("globalModelKey", "round " + round.number + " must write " + expectedKey);
        }
        Set<String> acceptedDomains = new HashSet<>();
        accepted.forEach(update -> acceptedDomains.add(update.domainId));
        List<String> from = completion.aggregatedFrom();
        for (int i = 0; i < from.size(); i++) {
            if (!acceptedDomains.contains(from.get(i))) {
                errors.add("aggregatedFrom[" + i + "]", "domain '" + from.get(i) + "' has no accepted update in round "
                        + round.number);
            }
        }
        int minDomains = models.definition(model).policy().minDomains();
        if (Set.copyOf(from).size() < minDomains) {
            errors.add("aggregatedFrom", "the policy needs at least " + minDomains + " domains, got " + Set.copyOf(from).size());
        }
        errors.throwIfAny();
    }

    private static void validate(Completion completion) {
        if (completion == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        errors.require("globalModelKey", completion.globalModelKey());
        errors.require("checksum", completion.checksum());
        List<String> from = completion.aggregatedFrom();
        if (from == null || from.isEmpty()) {
            errors.add("aggregatedFrom", "must list the domains whose updates were aggregated");
        } else {
            for (int i = 0; i < from.size(); i++) {
                if (from.get(i) == null || from.get(i).isBlank()) {
                    errors.add("aggregatedFrom[" + i + "]", "must be a domain id");
                } else {
                    ResourceIds.check("aggregatedFrom[" + i + "]", from.get(i), errors);
                }
            }
            if (new HashSet<>(from).size() != from.size()) {
                errors.add("aggregatedFrom", "lists a domain twice");
            }
        }
        errors.throwIfAny();
    }

    /**
     * Two aggregators that both believe they hold the round (the first one's lease expired and a second took
     * over) may complete at once; the loser of that race retries once and then sees the winner's result.
     */
    private static <T> Uni<T> retryingOnce(Supplier<Uni<? extends T>> transaction) {
        return Uni.createFrom().deferred(transaction)
                .onFailure(ConcurrentWrite::detected).recoverWithUni(failure -> Uni.createFrom().deferred(transaction));
    }
}
