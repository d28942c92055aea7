package io.meshfl.registry.domain;

import io.meshfl.registry.api.DomainRegistration;
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

/** Enrolment and lookup of the mesh's domains. */
@Path("/domains")
public class DomainResource {

    private final DomainService domains;
    private final CurrentCaller caller;

    public DomainResource(DomainService domains, CurrentCaller caller) {
        this.domains = domains;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Enrol a domain with its Ed25519 public key for signed updates")
    public Uni<Response> enrol(DomainRegistration registration) {
        return domains.enrol(caller.get(), registration)
                .map(view -> Response.created(URI.create("/domains/" + view.id())).entity(view).build());
    }

    @PATCH
    @Consumes(MediaType.APPLICATION_JSON)
    @Path("/{id}")
    @RolesAllowed(Roles.GOVERNANCE)
    @Operation(summary = "Change a domain's name, owner, public key or status (SUSPENDED domains' updates are rejected)")
    public Uni<DomainView> change(@PathParam("id") String id, DomainChange change) {
        return domains.change(id, change);
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "List domains (a domain token sees only its own)")
    public Uni<List<DomainView>> list() {
        return domains.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.FUNCTION, Roles.DOMAIN})
    @Operation(summary = "Read a domain, including the public key that verifies its updates")
    public Uni<DomainView> get(@PathParam("id") String id) {
        return domains.get(caller.get(), id);
    }
}
