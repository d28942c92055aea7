package io.meshfl.registry.events;

import io.meshfl.registry.api.EventRelay;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Roles;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The round-event outbox for operators: what is pending or DEAD (and why), and a relay pass on demand — what a
 * scheduled caller uses where no periodic pass runs between requests (AWS Lambda freezes the registry).
 */
@Path("/events")
public class EventsResource {

    private static final int MOST = 500;

    private final OutboxRelay relay;

    public EventsResource(OutboxRelay relay) {
        this.relay = relay;
    }

    @GET
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Round events in the outbox in one state (PENDING, SENT or DEAD), newest first")
    public Uni<List<OutboxEventView>> list(@QueryParam("state") @DefaultValue("PENDING") String state,
                                           @QueryParam("limit") @DefaultValue("100") int limit) {
        OutboxEvent.State wanted;
        try {
            wanted = OutboxEvent.State.valueOf(state);
        } catch (IllegalArgumentException e) {
            throw Problem.invalid("state", "must be PENDING, SENT or DEAD, was '" + state + "'");
        }
        if (limit < 1 || limit > MOST) {
            throw Problem.invalid("limit", "must be between 1 and " + MOST + ", was " + limit);
        }
        return Panache.withSession(() -> OutboxEvent.<OutboxEvent>find("state = ?1 order by id desc", wanted)
                        .page(0, limit).list())
                .map(events -> events.stream().map(OutboxEventView::of).toList());
    }

    @POST
    @Path("/relay")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION})
    @Operation(summary = "Send the pending round events that are due now; answers how many were sent")
    public Uni<EventRelay> relay() {
        return relay.relayDue();
    }
}
