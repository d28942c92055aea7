package io.meshfl.aggregation.sweep;

import io.meshfl.aggregation.AggregationService;
import io.meshfl.aggregation.ObjectReport;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.update.DeliverAgain;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import io.meshfl.runtime.objectstore.ObjectStoreConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Finds the updates of open rounds that are in the bucket but not in the registry, and takes each in through the
 * event path. Object events are delivered at least once by design, yet a path can still lose one: a Knative
 * IntegrationSource deletes the SQS message once a non-durable Broker has it, a queue's messages can expire, an
 * operator can purge a dead-letter queue. Without this, such an update would be missing from its round for good;
 * with it, the next sweep registers it (and closes the round if that makes it due), exactly once like an event.
 */
@ApplicationScoped
public class LostEventRecovery {

    private static final Logger LOG = Logger.getLogger(LostEventRecovery.class);
    /** The most versions behind an open buffer whose update keys a sweep lists. */
    static final int ASYNC_RECOVERY_WINDOW = 8;

    private final RegistryClient registry;
    private final ObjectStore store;
    private final AggregationService service;
    private final String bucket;

    LostEventRecovery(RegistryClient registry, ObjectStore store, AggregationService service, ObjectStoreConfig config) {
        this.registry = registry;
        this.store = store;
        this.service = service;
        this.bucket = config.bucket();
    }

    /** The updates taken in, and what went wrong (a round that moved on meanwhile is not an error). */
    public record Recovery(List<ObjectReport> recovered, List<String> errors) {
    }

    /** One pass over the open rounds; every round is tried even if another fails (the next sweep retries). */
    public Recovery recover(PhaseTimes times) {
        List<ObjectReport> recovered = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (RoundView round : times.time(Phase.REGISTRY, registry::openRounds)) {
            try {
                recover(round, recovered, times);
            } catch (DeliverAgain e) {
                // An asynchronous model's buffer that cannot take the update now: the next sweep tries again.
                LOG.debugf("Not now: %s", e.getMessage());
            } catch (RegistryException e) {
                if (e.status() != 409) {
                    errors.add(describe(round, e));
                }
            } catch (RuntimeException e) {
                LOG.errorf(e, "Looking for lost update events of round %d of %s failed", round.number(), round.model());
                errors.add(describe(round, e));
            }
        }
        return new Recovery(recovered, errors);
    }

    private void recover(RoundView round, List<ObjectReport> recovered, PhaseTimes times) {
        List<RoundView> window = roundsWhoseUpdatesItTakes(round, times);
        List<StoredObject> stored = new ArrayList<>();
        for (RoundView keyedUnder : window) {
            stored.addAll(times.time(Phase.READ,
                    () -> store.list(ObjectKeys.roundUpdatesPrefix(keyedUnder.model(), keyedUnder.number()))));
        }
        if (stored.isEmpty()) {
            return;
        }
        // An update of an older version is registered in the buffer that took it, not under its key's round: every
        // round of the window counts.
        Set<List<String>> registered = new HashSet<>();
        for (RoundView buffer : window) {
            for (UpdateView update : times.time(Phase.REGISTRY, () -> registry.updates(buffer.roundId()))) {
                registered.add(List.of(update.objectKey(), String.valueOf(update.etag())));
            }
        }
        for (StoredObject object : stored) {
            boolean anUpdate = UpdateKey.parse(object.key()).isPresent();
            if (anUpdate && !registered.contains(List.of(object.key(), String.valueOf(object.etag())))) {
                LOG.infof("Taking in %s (ETag %s): in the bucket, not in the registry (its event was lost)",
                        object.key(), object.etag());
                recovered.add(service.onStoredObject(
                        new ObjectCreated(bucket, object.key(), object.etag(), object.size()), times));
            }
        }
    }

    /**
     * The rounds under whose keys this open round's updates may lie: its own; for an asynchronous model's buffer also
     * the versions at most {@code maxStaleness} behind, which domains still train from and key their updates under,
     * but no more than {@value #ASYNC_RECOVERY_WINDOW} (a sweep's requests grow with the window; an update that stale
     * whose event was lost is left to its domain's next training run).
     */
    private List<RoundView> roundsWhoseUpdatesItTakes(RoundView round, PhaseTimes times) {
        Optional<RoundView> current = times.time(Phase.REGISTRY, () -> registry.currentRound(round.model()));
        RoundView.Policy policy = current.map(RoundView::policy).orElse(null);
        if (policy == null || !policy.isAsync() || round.number() <= 1) {
            return List.of(round);
        }
        int behind = Math.min(ASYNC_RECOVERY_WINDOW,
                policy.maxStaleness() == null ? ASYNC_RECOVERY_WINDOW : policy.maxStaleness());
        List<RoundView> rounds = new ArrayList<>();
        for (int number = Math.max(1, round.number() - behind); number < round.number(); number++) {
            int older = number;
            times.time(Phase.REGISTRY, () -> registry.round(round.model(), older)).ifPresent(rounds::add);
        }
        rounds.add(round);
        return rounds;
    }

    private static String describe(RoundView round, RuntimeException e) {
        return "lost-event recovery of round " + round.number() + " of '" + round.model() + "': " + e.getMessage();
    }
}
