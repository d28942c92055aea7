package io.meshfl.registry.round;

import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.meshfl.registry.version.LineageView;
import io.meshfl.registry.version.VersionService;
import io.meshfl.registry.version.VersionView;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A model's rounds and global model versions. */
@Path("/models")
public class ModelRoundResource {

    private final RoundService rounds;
    private final VersionService versions;
    private final CurrentCaller caller;

    public ModelRoundResource(RoundService rounds, VersionService versions, CurrentCaller caller) {
        this.rounds = rounds;
        this.versions = versions;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{id}/rounds")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Open round 1 from global/1 (or the next round after a FAILED one)")
    public Uni<Response> open(@PathParam("id") String id, RoundOpening request) {
        return rounds.open(id, request == null ? null : request.globalModelChecksum())
                .map(round -> Response.created(URI.create("/rounds/" + round.roundId())).entity(round).build());
    }

    @GET
    @Path("/{id}/rounds/current")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "The newest round and what a training function needs for it")
    public Uni<CurrentRoundView> current(@PathParam("id") String id) {
        return rounds.current(caller.get(), id);
    }

    @GET
    @Path("/{id}/rounds/{number: [0-9]+}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Round {number} of the model, with the same settings as the current round (an asynchronous "
            + "model's updates are checked against the round they trained from)")
    public Uni<CurrentRoundView> numbered(@PathParam("id") String id, @PathParam("number") int number) {
        return rounds.numbered(caller.get(), id, number);
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "The model's global versions with the domains' evaluations")
    public Uni<List<VersionView>> versions(@PathParam("id") String id) {
        return versions.versions(id);
    }

    @GET
    @Path("/{id}/versions/{round}/lineage")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Which domains and data products (and versions) produced global version {round}")
    public Uni<LineageView> lineage(@PathParam("id") String id, @PathParam("round") int round) {
        return versions.lineage(id, round);
    }
}
