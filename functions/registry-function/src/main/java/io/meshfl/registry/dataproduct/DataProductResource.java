package io.meshfl.registry.dataproduct;

import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Data products registered by their ODPS v1.1 descriptors. */
@Path("/data-products")
public class DataProductResource {

    private final DataProductService products;
    private final CurrentCaller caller;

    public DataProductResource(DataProductService products, CurrentCaller caller) {
        this.products = products;
        this.caller = caller;
    }

    @POST
    @Consumes({"application/yaml", "application/x-yaml", "text/yaml", "application/json"})
    @RolesAllowed({Roles.GOVERNANCE, Roles.DOMAIN})
    @Operation(summary = "Register (or re-version) a data product from its ODPS v1.1 descriptor, YAML or JSON")
    public Uni<Response> register(String descriptor, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return products.register(caller.get(), descriptor, contentType)
                .map(registration -> Response.status(registration.created() ? 201 : 200)
                        .location(URI.create("/data-products/" + registration.product().id()))
                        .entity(registration.product().withoutDescriptor())
                        .build());
    }

    @GET
    @RolesAllowed({Roles.GOVERNANCE, Roles.DOMAIN})
    @Operation(summary = "List data products (a domain token sees only its own)")
    public Uni<List<DataProductView>> list() {
        return products.list(caller.get());
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({Roles.GOVERNANCE, Roles.DOMAIN})
    @Operation(summary = "Read a data product with its descriptor as submitted")
    public Uni<DataProductView> get(@PathParam("id") String id) {
        return products.get(caller.get(), id);
    }
}
