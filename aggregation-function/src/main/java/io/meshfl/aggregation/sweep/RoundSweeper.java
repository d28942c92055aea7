package io.meshfl.aggregation.sweep;

import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.round.RoundCloser;
import io.meshfl.aggregation.sweep.SweepReport.Outcome;
import io.meshfl.aggregation.sweep.SweepReport.SweptRound;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.aggregation.work.LocalCopiesFactory;
import io.meshfl.registry.api.DueRound;
import io.meshfl.registry.api.EventRelay;
import io.meshfl.registry.api.ExpiredRound;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Does on a schedule what object events do otherwise, for the rounds no event will come for: after the last update of
 * a round whose aggregator died, at a deadline, after an expired lease, for an update whose object event was lost; and
 * it has the registry relay the round events its requests could not send. The registry lists what is due (on its
 * database's clock) and guards every action with the same compare-and-set as the event path: the close and the
 * expiry are exactly-once however many sweeps and events run at once, so a sweep may be repeated, overlap another, or
 * die at any point.
 */
@ApplicationScoped
public class RoundSweeper {

    private static final Logger LOG = Logger.getLogger(RoundSweeper.class);

    private final RegistryClient registry;
    private final RoundCloser closer;
    private final LocalCopiesFactory localCopies;
    private final LostEventRecovery recovery;

    RoundSweeper(RegistryClient registry, RoundCloser closer, LocalCopiesFactory localCopies,
                 LostEventRecovery recovery) {
        this.recovery = recovery;
        this.registry = registry;
        this.closer = closer;
        this.localCopies = localCopies;
    }

    /**
     * One pass: first the updates of open rounds whose object event was lost, then the due rounds. An unreachable
     * registry fails the invocation (the schedule calls again).
     */
    public SweepReport sweep() {
        PhaseTimes times = new PhaseTimes();
        LostEventRecovery.Recovery recovery = this.recovery.recover(times);
        List<DueRound> due = times.time(Phase.REGISTRY, registry::dueRounds);
        List<SweptRound> rounds = new ArrayList<>();
        List<String> errors = new ArrayList<>(recovery.errors());
        for (DueRound round : due) {
            SweptRound swept = act(round, times);
            rounds.add(swept);
            if (swept.outcome() == Outcome.ERROR) {
                errors.add("round " + swept.number() + " of '" + swept.model() + "': " + swept.detail());
            }
        }
        relayRoundEvents(times, errors);
        return new SweepReport(due.size(), count(rounds, Outcome.AGGREGATED), count(rounds, Outcome.EXPIRED), rounds,
                recovery.recovered(), errors, times.millis());
    }

    /**
     * The registry's round events that its requests could not send (a broker that was down): on AWS Lambda nothing
     * else sends them between requests, since a frozen registry runs no periodic pass. Harmless elsewhere: the relay
     * claims each event once however many passes run.
     */
    private void relayRoundEvents(PhaseTimes times, List<String> errors) {
        try {
            EventRelay relay = times.time(Phase.REGISTRY, registry::relayEvents);
            if (relay.sent() + relay.failed() > 0) {
                LOG.infof("Round events relayed: %d sent, %d failed, %d dead", relay.sent(), relay.failed(),
                        relay.dead());
            }
        } catch (RuntimeException e) {
            LOG.warn("Relaying the registry's round events failed; the next sweep tries again", e);
            errors.add("round-event relay: " + e.getMessage());
        }
    }

    private SweptRound act(DueRound due, PhaseTimes times) {
        RoundView round = due.round();
        try {
            return switch (due.action()) {
                case EXPIRE -> expire(round, times);
                case AGGREGATE, TAKE_OVER -> aggregate(due, times);
            };
        } catch (RegistryException e) {
            if (e.status() == 409) {
                return swept(due, Outcome.SKIPPED, e.getMessage());
            }
            LOG.errorf(e, "Sweeping round %d of %s failed", round.number(), round.model());
            return swept(due, Outcome.ERROR, e.getMessage());
        } catch (RuntimeException e) {
            // A broken object store, a full disk: the round stays due and the next sweep (or event) tries again.
            LOG.errorf(e, "Sweeping round %d of %s failed", round.number(), round.model());
            return swept(due, Outcome.ERROR, e.toString());
        }
    }

    private SweptRound expire(RoundView round, PhaseTimes times) {
        ExpiredRound expired = times.time(Phase.REGISTRY, () -> registry.expire(round.roundId()));
        LOG.infof("Round %d of %s expired: %s", round.number(), round.model(), expired.failed().failureReason());
        String next = expired.next() == null ? "no next round (onQuorumMissed: stop)"
                : "round " + expired.next().number() + " opened on " + expired.next().globalModelKey();
        return swept(new DueRound(round, DueRound.Action.EXPIRE), Outcome.EXPIRED,
                expired.failed().failureReason() + "; " + next);
    }

    /** The event path's close and aggregation, on the model's current round with its settings. */
    private SweptRound aggregate(DueRound due, PhaseTimes times) {
        RoundView round = due.round();
        Optional<RoundView> current = times.time(Phase.REGISTRY, () -> registry.currentRound(round.model()));
        if (current.isEmpty() || current.get().roundId() != round.roundId()) {
            return swept(due, Outcome.SKIPPED, "no longer the model's current round");
        }
        try (LocalCopies copies = localCopies.open()) {
            return closer.closeIfDue(current.get(), copies, times)
                    .map(key -> swept(due, Outcome.AGGREGATED, key))
                    .orElseGet(() -> swept(due, Outcome.SKIPPED, "not completed here (another caller holds or ended it, "
                            + "or its shards aggregate through their own events)"));
        }
    }

    private static SweptRound swept(DueRound due, Outcome outcome, String detail) {
        RoundView round = due.round();
        return new SweptRound(round.roundId(), round.model(), round.number(), due.action().name(), outcome, detail);
    }

    private static int count(List<SweptRound> rounds, Outcome outcome) {
        return (int) rounds.stream().filter(r -> r.outcome() == outcome).count();
    }
}
