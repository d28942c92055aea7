package io.meshfl.registry.dashboard;

import io.meshfl.registry.security.Roles;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A browser cannot send a bearer header, so the dashboard takes the same JWT from a cookie: this endpoint
 * checks a governance token once and keeps it in an HttpOnly, SameSite=Strict cookie scoped to the dashboard.
 */
@Path("/dashboard/login")
@PermitAll
public class DashboardLogin {

    /** The pages live here; the API never receives the cookie (it keeps using the Authorization header). */
    static final String COOKIE_PATH = "/dashboard";

    private final JWTParser parser;
    private final String cookieName;

    public DashboardLogin(JWTParser parser, @ConfigProperty(name = "mp.jwt.token.cookie") String cookieName) {
        this.parser = parser;
        this.cookieName = cookieName;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Dashboard: keep a governance token in a session cookie and go to the overview")
    public Response login(@QueryParam("token") String token, @Context UriInfo uri) {
        if (token == null || token.isBlank()) {
            return DashboardResource.page(401, "Sign in to the dashboard",
                    "The login link has no token: open /dashboard/login?token=… with a governance token.", true);
        }
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            return DashboardResource.page(401, "Sign in to the dashboard",
                    "The token in the login link is not valid (expired, malformed, or not signed by the federation's"
                            + " issuer).", true);
        }
        if (!jwt.getGroups().contains(Roles.GOVERNANCE)) {
            return DashboardResource.page(403, "Governance only", "The dashboard needs a token with the governance role;"
                    + " this one has " + jwt.getGroups() + ".", true);
        }
        // The cookie lives as long as the token: after that the pages ask for a new login link.
        long lifetime = Math.max(0, jwt.getExpirationTime() - Instant.now().getEpochSecond());
        NewCookie cookie = new NewCookie.Builder(cookieName)
                .value(token)
                .path(COOKIE_PATH)
                .httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT)
                .secure("https".equals(uri.getRequestUri().getScheme()))
                .maxAge((int) Math.min(Integer.MAX_VALUE, lifetime))
                .build();
        return Response.seeOther(uri.getBaseUriBuilder().path("dashboard").build()).cookie(cookie).build();
    }
}
