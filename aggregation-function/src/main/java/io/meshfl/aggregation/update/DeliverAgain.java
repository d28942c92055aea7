package io.meshfl.aggregation.update;

/**
 * An asynchronous model's update that its buffer cannot take now (the buffer is aggregating or full, or already has
 * the domain's update): nothing was stored, and the invocation fails so that the transport delivers the event again
 * (the local event bridge and Knative retry a 5xx with backoff, SQS after the visibility timeout); by then the next
 * buffer is open.
 */
public final class DeliverAgain extends RuntimeException {

    public DeliverAgain(String message) {
        super("Deliver the event again: " + message);
    }
}
