package io.meshfl.registry.events;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * A request that recorded round events relays them before it answers: its transaction has committed by then, and on
 * AWS Lambda nothing runs after the answer (the process is frozen), so "after the response" would mean "at the next
 * cold start". A failed send does not fail the request: the change is committed and the event stays pending for the
 * periodic relay; the send is bounded by meshfl.events.send-timeout.
 */
public class RelayBeforeAnswering {

    private static final Logger LOG = Logger.getLogger(RelayBeforeAnswering.class);

    private final OutboxRelay relay;

    public RelayBeforeAnswering(OutboxRelay relay) {
        this.relay = relay;
    }

    @ServerResponseFilter
    public Uni<Void> relayWhatThisRequestRecorded() {
        Context context = Vertx.currentContext();
        if (context == null || context.getLocal(RoundEvents.RECORDED) == null) {
            return Uni.createFrom().voidItem();
        }
        context.removeLocal(RoundEvents.RECORDED);
        return relay.relayDue()
                .onFailure().invoke(e -> LOG.warn("Round events not relayed now; the periodic relay retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
