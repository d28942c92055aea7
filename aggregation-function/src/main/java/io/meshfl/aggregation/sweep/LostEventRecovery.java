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
        List<StoredObject> stored = times.time(Phase.READ,
                () -> store.list(ObjectKeys.roundUpdatesPrefix(round.model(), round.number())));
        if (stored.isEmpty()) {
            return;
        }
        Set<List<String>> registered = new HashSet<>();
        for (UpdateView update : times.time(Phase.REGISTRY, () -> registry.updates(round.roundId()))) {
            registered.add(List.of(update.objectKey(), String.valueOf(update.etag())));
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

    private static String describe(RoundView round, RuntimeException e) {
        return "lost-event recovery of round " + round.number() + " of '" + round.model() + "': " + e.getMessage();
    }
}
