package io.meshfl.registry.model;

import io.meshfl.registry.api.EnrolmentView;
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
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Models (FL tasks) and their enrolments. */
@Path("/models")
public class ModelResource {

    private final ModelService models;
    private final CurrentCaller caller;

    public ModelResource(ModelService models, CurrentCaller caller) {
        this.models = models;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Register a model: architecture, strategy, policy and training settings")
    public Uni<Response> register(ModelDefinition model) {
        return models.register(model)
                .map(saved -> Response.created(URI.create("/models/" + saved.id())).entity(saved).build());
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "List models")
    public Uni<List<ModelDefinition>> list() {
        return models.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Read a model's configuration")
    public Uni<ModelDefinition> get(@PathParam("id") String id) {
        return models.get(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{id}/enrolments")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Approve a domain to train this model with one of its data products")
    public Uni<Response> enrol(@PathParam("id") String id, EnrolmentRequest request) {
        return models.enrol(id, request)
                .map(result -> Response.status(result.created() ? 201 : 200).entity(result.enrolment()).build());
    }

    @GET
    @Path("/{id}/enrolments")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "List a model's enrolments (a domain token sees only its own)")
    public Uni<List<EnrolmentView>> enrolments(@PathParam("id") String id) {
        return models.enrolments(caller.get(), id);
    }
}
