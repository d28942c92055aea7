package io.meshfl.registry.domain;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;

/** Enrolment and lookup of the mesh's domains. */
@Path("/domains")
public class DomainResource {

    @POST
    public Uni<Response> enrol(DomainRegistration registration) {
        Domain domain = new Domain();
        domain.id = registration.id();
        domain.name = registration.name();
        domain.owner = registration.owner();
        domain.publicKey = registration.publicKey();
        return Panache.withTransaction(domain::persist)
                .map(saved -> Response.created(URI.create("/domains/" + domain.id)).entity(DomainView.of(domain)).build());
    }

    @GET
    public Uni<List<DomainView>> list() {
        return Panache.withSession(() -> Domain.<Domain>listAll())
                .map(domains -> domains.stream().map(DomainView::of).toList());
    }

    @GET
    @Path("/{id}")
    public Uni<DomainView> get(@PathParam("id") String id) {
        return Panache.withSession(() -> Domain.<Domain>findById(id))
                .onItem().ifNull().failWith(() -> new NotFoundException("No domain '" + id + "'"))
                .map(DomainView::of);
    }
}
