package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.UnreadableEventException;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * The function every binding exports: an object-store event in, what became of each object out. The binding (one
 * per build: Funqy HTTP, Amazon Lambda, Knative Events) decides how the event arrives; the JSON tree is handed on
 * untouched, and {@link AggregationService} recognises its shape.
 *
 * <p>On Lambda, Funqy unwraps SQS batches and calls this once per message body; an exception marks that message
 * failed in the batch response, so SQS redelivers only it. An event that cannot be read is not such a failure:
 * retrying never makes it readable. HTTP and Knative answer it 400 ({@link UnreadableEventAnswer}); Lambda, which
 * has no status to answer with, gets a report naming the error ({@code meshfl.aggregation.unreadable-events}).
 */
public class AggregateFunction {

    private static final Logger LOG = Logger.getLogger(AggregateFunction.class);

    @Inject
    AggregationService service;

    @Inject
    AggregationConfig config;

    @Funq("aggregate")
    public EventReport aggregate(JsonNode event) {
        try {
            return service.onEvent(event);
        } catch (UnreadableEventException e) {
            if (config.unreadableEvents() == AggregationConfig.UnreadableEvents.REPORT) {
                LOG.errorf("Unreadable event dropped (not retried): %s", e.getMessage());
                return EventReport.unreadable(e.getMessage());
            }
            throw e;
        }
    }
}
