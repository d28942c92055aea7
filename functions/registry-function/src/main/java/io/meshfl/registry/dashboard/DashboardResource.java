package io.meshfl.registry.dashboard;

import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.CurrentCaller;
import io.meshfl.registry.security.Roles;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The federation dashboard: server-rendered pages for the governance. Browsers authenticate with the cookie
 * {@link DashboardLogin} sets; failures are pages too, never problem+json.
 */
@Path("/dashboard")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.GOVERNANCE)
public class DashboardResource {

    private final OverviewReader overview;
    private final ModelPageReader models;
    private final DomainPageReader domains;
    private final VerticalModelPageReader verticalModels;
    private final CurrentCaller caller;

    public DashboardResource(OverviewReader overview, ModelPageReader models, DomainPageReader domains,
                             VerticalModelPageReader verticalModels, CurrentCaller caller) {
        this.overview = overview;
        this.models = models;
        this.domains = domains;
        this.verticalModels = verticalModels;
        this.caller = caller;
    }

    @GET
    @Operation(summary = "Dashboard: the federation's domains, data products and models (HTML)")
    public Uni<TemplateInstance> overview() {
        return overview.read(caller.get()).map(DashboardTemplates::overview);
    }

    @GET
    @Path("/models/{id}")
    @Operation(summary = "Dashboard: a model's rounds, metrics, contributions, rejections and lineage (HTML)")
    public Uni<TemplateInstance> model(@PathParam("id") String id) {
        return models.read(caller.get(), id).map(DashboardTemplates::model);
    }

    @GET
    @Path("/vertical-models/{id}")
    @Operation(summary = "Dashboard: a vertical model's parties, label owner and rounds with their lineage (HTML)")
    public Uni<TemplateInstance> verticalModel(@PathParam("id") String id) {
        return verticalModels.read(caller.get(), id).map(DashboardTemplates::verticalModel);
    }

    @GET
    @Path("/domains/{id}")
    @Operation(summary = "Dashboard: a domain's data products, models and updates (HTML)")
    public Uni<TemplateInstance> domain(@PathParam("id") String id) {
        return domains.read(caller.get(), id).map(DashboardTemplates::domain);
    }

    @ServerExceptionMapper({UnauthorizedException.class, AuthenticationFailedException.class})
    public Response unauthenticated(RuntimeException e) {
        return page(401, "Sign in to the dashboard",
                "This page needs a governance token: no valid session was found (none, expired, or not signed by"
                        + " the federation's issuer).", true);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return page(403, "Governance only", "The dashboard shows the whole federation, so it needs a token with the"
                + " governance role; this session's token does not have it.", true);
    }

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        return page(problem.status(), problem.title(), problem.getMessage(), false);
    }

    static Response page(int status, String title, String detail, boolean signIn) {
        return Response.status(status)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(DashboardTemplates.problem(status, title, detail, signIn).render())
                .build();
    }
}
