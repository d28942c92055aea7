package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.aggregation.ObjectReport.Outcome;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.round.RoundCloser;
import io.meshfl.aggregation.shard.TreeNodeEvents;
import io.meshfl.aggregation.update.UpdateIntake;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.aggregation.work.LocalCopiesFactory;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.ObjectEventReader;
import io.meshfl.core.event.UnreadableEventException;
import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns an object-store event into round progress: for each domain update it names, decide about the update
 * ({@link UpdateIntake}), then close and aggregate the round if that made it due ({@link RoundCloser}); for each
 * object of a sharded round's tree, run the node it completes ({@link TreeNodeEvents}).
 * Stateless between invocations: all it knows comes from the event, the object store and the registry, so any
 * number of instances may run at once and any may die at any point.
 */
@ApplicationScoped
public class AggregationService {

    private static final Logger LOG = Logger.getLogger(AggregationService.class);

    private final ObjectEventReader events = new ObjectEventReader();
    private final RegistryClient registry;
    private final UpdateIntake intake;
    private final RoundCloser closer;
    private final LocalCopiesFactory localCopies;
    private final int maxObjects;
    private final TreeNodeEvents trees;

    AggregationService(RegistryClient registry, UpdateIntake intake, RoundCloser closer,
            LocalCopiesFactory localCopies, AggregationConfig config, TreeNodeEvents trees) {
        this.trees = trees;
        this.maxObjects = config.maxObjectsPerEvent();
        this.registry = registry;
        this.intake = intake;
        this.closer = closer;
        this.localCopies = localCopies;
    }

    /**
     * @throws UnreadableEventException if the event is no object-store event this function reads, names an update
     *     without an ETag, or names more distinct objects than {@code meshfl.aggregation.max-objects-per-event}
     */
    public EventReport onEvent(JsonNode event) {
        PhaseTimes times = new PhaseTimes();
        List<ObjectReport> reports = new ArrayList<>();
        for (ObjectCreated object : distinctObjects(event)) {
            try (LocalCopies copies = localCopies.open()) {
                reports.add(onObjectCreated(object, copies, times));
            }
        }
        return new EventReport(reports, times.millis());
    }

    /**
     * The objects the event names, each (key, ETag) once: a notification repeating a record a thousand times is one
     * object to read, not a thousand. An update without an ETag cannot be told from its next version, so exactly-once
     * registration needs it: such an event is refused, not guessed at.
     */
    private Collection<ObjectCreated> distinctObjects(JsonNode event) {
        List<ObjectCreated> named = events.read(event);
        Map<List<String>, ObjectCreated> distinct = new LinkedHashMap<>();
        for (ObjectCreated object : named) {
            if (object.etag() == null && UpdateKey.parse(object.key()).isPresent()) {
                throw new UnreadableEventException("The event names update '" + object.key()
                        + "' without an ETag; (key, ETag) is what makes its registration exactly-once");
            }
            distinct.putIfAbsent(Arrays.asList(object.key(), object.etag()), object);
            if (distinct.size() > maxObjects) {
                throw new UnreadableEventException("The event names more than " + maxObjects + " distinct objects ("
                        + named.size() + " records); send at most " + maxObjects + " per event");
            }
        }
        return distinct.values();
    }

    /**
     * A stored object taken in as if its event had just arrived: how the sweeper recovers an update whose event was
     * lost (a queue that dropped it, a broker that acknowledged and died). The same path, so the same exactly-once.
     */
    public ObjectReport onStoredObject(ObjectCreated object, PhaseTimes times) {
        try (LocalCopies copies = localCopies.open()) {
            return onObjectCreated(object, copies, times);
        }
    }

    private ObjectReport onObjectCreated(ObjectCreated object, LocalCopies copies, PhaseTimes times) {
        Optional<UpdateKey> update = UpdateKey.parse(object.key());
        if (update.isEmpty() && ObjectKeys.inAggregationTree(object.key())) {
            return trees.onTreeObject(object, times);
        }
        if (update.isEmpty()) {
            // Includes this function's own writes (global/, state/, tmp/ but a tree's): the bucket it listens on is the one it writes.
            LOG.debugf("Ignoring '%s' (ETag %s): not a domain update key", object.key(), object.etag());
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED, "not an update key");
        }
        UpdateKey key = update.get();
        Optional<RoundView> current = times.time(Phase.REGISTRY, () -> registry.currentRound(key.model()));
        if (current.isEmpty()) {
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED,
                    "model '" + key.model() + "' has no round");
        }
        RoundView round = current.get();
        if (round.policy() != null && round.policy().isAsync()) {
            return onBufferedUpdate(object, key, round, copies, times);
        }
        if (key.round() < round.number()) {
            return new ObjectReport(object.key(), object.etag(), Outcome.LATE, "round " + key.round()
                    + " is over (the current round is " + round.number() + ")");
        }
        if (key.round() > round.number()) {
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED, "round " + key.round()
                    + " is not open (the current round is " + round.number() + ")");
        }
        ObjectReport report = intake.receive(object, key, round, copies, times);
        // Also after a duplicate: a redelivered event is how a round whose aggregator died gets taken over.
        return closer.closeIfDue(round, copies, times).map(report::aggregatedInto).orElse(report);
    }

    /**
     * An asynchronous model: the current round is the open buffer, and an update trained from any earlier round's
     * model goes into it (the registry judges its staleness). While the buffer aggregates, the event is refused for a
     * redelivery ({@code DeliverAgain}) after trying the close, which takes over a buffer whose aggregator died.
     */
    private ObjectReport onBufferedUpdate(ObjectCreated object, UpdateKey key, RoundView buffer, LocalCopies copies,
            PhaseTimes times) {
        if (key.round() > buffer.number()) {
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED, "round " + key.round()
                    + " is not open (the current buffer is " + buffer.number() + ")");
        }
        if (!buffer.isOpen()) {
            closer.closeIfDue(buffer, copies, times);
        }
        RoundView base = key.round() == buffer.number() ? buffer
                : times.time(Phase.REGISTRY, () -> registry.round(key.model(), key.round())).orElse(null);
        if (base == null) {
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED, "model '" + key.model()
                    + "' has no round " + key.round());
        }
        ObjectReport report = intake.receive(object, key, buffer, base, copies, times);
        return closer.closeIfDue(buffer, copies, times).map(report::aggregatedInto).orElse(report);
    }
}
