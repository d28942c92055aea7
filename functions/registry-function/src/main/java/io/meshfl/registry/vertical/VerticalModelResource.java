package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalOutcomeResult;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Vertical (split-learning) models and their rounds: a sibling of {@code /models}, because a vertical model names its
 * parties and label owner where a horizontal one has a strategy and enrolments, and its rounds exchange embeddings
 * rather than weights. The two share one id space ({@code models/{id}/} in the object store).
 */
@Path("/vertical-models")
public class VerticalModelResource {

    private final VerticalModelService models;
    private final VerticalRoundService rounds;
    private final CurrentCaller caller;

    public VerticalModelResource(VerticalModelService models, VerticalRoundService rounds, CurrentCaller caller) {
        this.models = models;
        this.rounds = rounds;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Register a vertical model: parties and their data products, label owner, network, training")
    public Uni<Response> register(VerticalModelDefinition model) {
        return models.register(model)
                .map(saved -> Response.created(URI.create("/vertical-models/" + saved.id())).entity(saved).build());
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "List vertical models (a domain token sees other parties' domains only)")
    public Uni<List<VerticalModelDefinition>> list() {
        return models.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Read a vertical model's definition")
    public Uni<VerticalModelDefinition> get(@PathParam("id") String id) {
        return models.get(caller.get(), id);
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Change a vertical model's PSI session or governance-side head key (from the next round on)")
    public Uni<VerticalModelDefinition> change(@PathParam("id") String id, VerticalModelChange change) {
        return models.change(caller.get(), id, change);
    }

    @POST
    @Path("/{id}/rounds")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Open round 1 of a vertical model (each recorded outcome opens the next)")
    public Uni<Response> open(@PathParam("id") String id) {
        return rounds.open(caller.get(), id).map(round -> Response.status(201)
                .location(URI.create("/vertical-models/" + id + "/rounds/" + round.number())).entity(round).build());
    }

    @GET
    @Path("/{id}/rounds")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "A vertical model's rounds, oldest first, with their lineage")
    public Uni<List<VerticalRoundView>> rounds(@PathParam("id") String id) {
        return rounds.list(caller.get(), id);
    }

    @GET
    @Path("/{id}/rounds/current")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "The current vertical round with the settings a training or head function needs")
    public Uni<VerticalRoundView> current(@PathParam("id") String id) {
        return rounds.current(caller.get(), id);
    }

    @GET
    @Path("/{id}/rounds/{number: [0-9]{1,9}}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Vertical round n with the model's settings")
    public Uni<VerticalRoundView> round(@PathParam("id") String id, @PathParam("number") int number) {
        return rounds.round(caller.get(), id, number);
    }

    @GET
    @Path("/{id}/versions")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "A vertical model's versions: which round produced each, from which version and data")
    public Uni<List<VerticalVersionView>> versions(@PathParam("id") String id) {
        return rounds.versions(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{id}/rounds/{number: [0-9]{1,9}}/outcome")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Record how a vertical round ended (first outcome wins; opens the next round)")
    public Uni<VerticalOutcomeResult> outcome(@PathParam("id") String id, @PathParam("number") int number,
            VerticalOutcomeRequest outcome) {
        return rounds.recordOutcome(caller.get(), id, number, outcome);
    }
}
