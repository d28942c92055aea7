package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalScoringOutcome;
import io.meshfl.registry.api.VerticalScoringOutcomeResult;
import io.meshfl.registry.api.VerticalScoringRequest;
import io.meshfl.registry.api.VerticalScoringView;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The scoring call of a vertical model (functions/vertical README, "Scoring"): the registry records the request and
 * its version; the parties' and the head's functions do the work through the object store; the head's outcome comes
 * back here.
 */
@Path("/vertical-models/{id}/scorings")
public class VerticalScoringResource {

    private final VerticalScoringService scorings;
    private final CurrentCaller caller;

    public VerticalScoringResource(VerticalScoringService scorings, CurrentCaller caller) {
        this.scorings = scorings;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Request a scoring: pseudonyms of a PSI session, with a version a completed round produced")
    public Uni<Response> request(@PathParam("id") String id, VerticalScoringRequest body) {
        return scorings.request(caller.get(), id, body).map(view -> Response.accepted(view)
                .location(URI.create("/vertical-models/" + id + "/scorings/" + view.scoringId())).build());
    }

    @GET
    @Path("/{scoring}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "A scoring's state: PENDING, DONE with the scores' key, or FAILED with the reason")
    public Uni<VerticalScoringView> get(@PathParam("id") String id, @PathParam("scoring") String scoring) {
        return scorings.get(caller.get(), id, scoring);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{scoring}/outcome")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Record how a scoring ended (what the head settled in outcome.json; the first outcome wins)")
    public Uni<VerticalScoringOutcomeResult> outcome(@PathParam("id") String id,
            @PathParam("scoring") String scoring, VerticalScoringOutcome outcome) {
        return scorings.recordOutcome(caller.get(), id, scoring, outcome);
    }
}
