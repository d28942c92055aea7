package io.meshfl.aggregation.round;

import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.shard.TreeRounds;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.registry.api.CloseOutcome;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Tries to close a round and, if this invocation wins the close, aggregates it. Whether a round is due is decided in
 * one place, the registry (on its database's clock: every expected domain in, the deadline passed with the quorum, or
 * an expired lease to take over); its close is a compare-and-set, so whatever the number of concurrent invocations
 * exactly one aggregates, and every other caller, and every caller of a round that is not due, is told why. A
 * winner that dies leaves the round AGGREGATING until its lease ends; the next event for the round, or the
 * scheduled sweeper ({@code sweep}), takes it over. A round too large for one invocation is started as a tree of
 * nodes ({@link TreeRounds}) and completed by its stitch's invocation; a takeover re-triggers its unfinished nodes.
 */
@ApplicationScoped
public class RoundCloser {

    private static final Logger LOG = Logger.getLogger(RoundCloser.class);

    private final RegistryClient registry;
    private final RoundAggregation aggregation;
    private final AggregationConfig config;
    private final TreeRounds trees;

    RoundCloser(RegistryClient registry, RoundAggregation aggregation, AggregationConfig config, TreeRounds trees) {
        this.trees = trees;
        this.registry = registry;
        this.aggregation = aggregation;
        this.config = config;
    }

    /**
     * Closes and aggregates {@code round} (the model's current round, with its settings) if the registry grants the
     * close: OPEN and due, or AGGREGATING under an expired lease (a takeover). Returns the new global model's key when
     * this invocation completed the round.
     */
    public Optional<String> closeIfDue(RoundView round, LocalCopies copies, PhaseTimes times) {
        if (round.state() != RoundState.OPEN && round.state() != RoundState.AGGREGATING) {
            return Optional.empty();
        }
        CloseOutcome outcome = times.time(Phase.REGISTRY, () -> registry.close(round.roundId(), config.lease()));
        if (outcome instanceof CloseOutcome.Lost lost) {
            LOG.debugf("Round %d of %s not closed here: %s", round.number(), round.model(), lost.detail());
            return Optional.empty();
        }
        CloseOutcome.Won won = (CloseOutcome.Won) outcome;
        LOG.infof("Round %d of %s closed here with %d accepted updates; lease until %s", round.number(),
                round.model(), won.accepted().size(), won.leaseUntil());
        Completion completion;
        try {
            boolean async = round.policy() != null && round.policy().isAsync();
            TreeRounds.Start sharded = async ? null : trees.start(round, won.accepted(), won.leaseUntil(), times);
            if (sharded instanceof TreeRounds.Start.Started started) {
                // The tree's objects trigger its nodes from here on; the stitch's invocation completes the round.
                LOG.infof("Round %d of %s aggregates in shards (plan %s): %d nodes triggered", round.number(),
                        round.model(), started.planId(), started.triggered());
                return Optional.empty();
            }
            completion = sharded instanceof TreeRounds.Start.Done done ? done.completion()
                    : async ? aggregation.aggregateBuffer(round, won.accepted(), bases(round, won, times), copies, times)
                    : aggregation.aggregate(round, won.accepted(), copies, times);
        } catch (RoundCannotBeAggregated e) {
            // No retry can fix it: end the round so governance can open the next one, and say why.
            LOG.errorf("Round %d of %s cannot be aggregated: %s", round.number(), round.model(), e.getMessage());
            times.time(Phase.REGISTRY, () -> registry.fail(round.roundId(), e.getMessage()));
            return Optional.empty();
        }
        times.time(Phase.REGISTRY, () -> registry.complete(round.roundId(), completion));
        LOG.infof("Round %d of %s completed: %s", round.number(), round.model(), completion.globalModelKey());
        return Optional.of(completion.globalModelKey());
    }

    /** The rounds a buffer's updates trained from, by number: each one's global model is the base of its delta. */
    private Map<Integer, RoundView> bases(RoundView buffer, CloseOutcome.Won won, PhaseTimes times) {
        Map<Integer, RoundView> bases = new TreeMap<>();
        bases.put(buffer.number(), buffer);
        for (UpdateView update : won.accepted()) {
            bases.computeIfAbsent(update.baseRound(), number -> times.time(Phase.REGISTRY,
                    () -> registry.round(buffer.model(), number)).orElseThrow(() -> new RoundCannotBeAggregated(
                    "update '" + update.objectKey() + "' names base round " + number + ", which model '"
                            + buffer.model() + "' does not have")));
        }
        return bases;
    }
}
