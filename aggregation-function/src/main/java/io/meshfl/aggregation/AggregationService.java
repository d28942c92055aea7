package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.aggregation.ObjectReport.Outcome;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.ObjectEventReader;
import io.meshfl.core.event.UpdateKey;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Turns an object-store event into round progress. Stateless between invocations: all it knows comes from the
 * event, the object store and the registry, so any number of instances may run at once.
 */
@ApplicationScoped
public class AggregationService {

    private static final Logger LOG = Logger.getLogger(AggregationService.class);

    private final ObjectEventReader events = new ObjectEventReader();

    public EventReport onEvent(JsonNode event) {
        List<ObjectReport> reports = events.read(event).stream().map(this::onObjectCreated).toList();
        return new EventReport(reports);
    }

    private ObjectReport onObjectCreated(ObjectCreated object) {
        Optional<UpdateKey> update = UpdateKey.parse(object.key());
        if (update.isEmpty()) {
            // Includes this function's own writes (global/, state/, tmp/): the bucket it listens on is the one it writes.
            LOG.debugf("Ignoring '%s' (ETag %s): not a domain update key", object.key(), object.etag());
            return new ObjectReport(object.key(), object.etag(), Outcome.IGNORED, "not an update key");
        }
        UpdateKey key = update.get();
        return new ObjectReport(object.key(), object.etag(), Outcome.RECEIVED,
                "update of domain '" + key.domain() + "' for round " + key.round() + " of model '" + key.model() + "'");
    }
}
