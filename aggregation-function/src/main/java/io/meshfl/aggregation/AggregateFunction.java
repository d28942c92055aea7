package io.meshfl.aggregation;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.funqy.Funq;
import jakarta.inject.Inject;

/**
 * The function every binding exports: an object-store event in, what became of each object out. The binding (one
 * per build: Funqy HTTP, Amazon Lambda, Knative Events) decides how the event arrives; the JSON tree is handed on
 * untouched, and {@link AggregationService} recognises its shape.
 *
 * <p>On Lambda, Funqy unwraps SQS batches and calls this once per message body; an exception marks that message
 * failed in the batch response, so SQS redelivers only it.
 */
public class AggregateFunction {

    @Inject
    AggregationService service;

    @Funq("aggregate")
    public EventReport aggregate(JsonNode event) {
        return service.onEvent(event);
    }
}
