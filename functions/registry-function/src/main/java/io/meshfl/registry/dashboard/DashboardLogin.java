package io.meshfl.registry.dashboard;

import io.meshfl.registry.api.DashboardLoginLink;
import io.meshfl.registry.security.Roles;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A browser cannot send a bearer header, so the dashboard takes the same JWT from a cookie. The token itself never
 * goes into a URL: a governance caller asks {@code POST /dashboard/login/codes} (bearer token) for a one-time code
 * ({@link DashboardLoginCodes}), and opening {@code /dashboard/login?code=…} exchanges it for an HttpOnly,
 * SameSite=Strict cookie scoped to the dashboard.
 */
@Path("/dashboard/login")
@PermitAll
public class DashboardLogin {

    /** The pages live here; the API never receives the cookie (it keeps using the Authorization header). */
    static final String COOKIE_PATH = "/dashboard";

    private final JWTParser parser;
    private final String cookieName;
    private final DashboardLoginCodes codes;
    private final JsonWebToken caller;

    public DashboardLogin(JWTParser parser, @ConfigProperty(name = "mp.jwt.token.cookie") String cookieName,
                          DashboardLoginCodes codes, JsonWebToken caller) {
        this.parser = parser;
        this.cookieName = cookieName;
        this.codes = codes;
        this.caller = caller;
    }

    @POST
    @Path("codes")
    @RolesAllowed(Roles.GOVERNANCE)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dashboard: a one-time login code (valid 2 minutes, single use) for the caller's governance token")
    public DashboardLoginLink code() {
        DashboardLoginCodes.LoginCode code = codes.issue(caller.getRawToken());
        return new DashboardLoginLink(code.code(), "/dashboard/login?code=" + code.code(), code.expiresAt());
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(summary = "Dashboard: exchange a one-time login code for a session cookie and go to the overview")
    public Response login(@QueryParam("code") String code, @QueryParam("token") String token, @Context UriInfo uri) {
        if (token != null) {
            return DashboardResource.page(400, "Sign in to the dashboard", "Login links no longer carry tokens (a URL"
                    + " ends up in browser history and proxy logs): open a link with a one-time code instead.", true);
        }
        if (code == null || code.isBlank()) {
            return DashboardResource.page(401, "Sign in to the dashboard",
                    "The login link has no code: open /dashboard/login?code=… with a fresh one-time code.", true);
        }
        Optional<String> redeemed = codes.redeem(code);
        if (redeemed.isEmpty()) {
            return DashboardResource.page(401, "Sign in to the dashboard", "The login code is unknown, used already or"
                    + " expired (codes are valid for " + DashboardLoginCodes.LIFETIME.toMinutes() + " minutes, once).",
                    true);
        }
        token = redeemed.get();
        JsonWebToken jwt;
        try {
            jwt = parser.parse(token);
        } catch (ParseException e) {
            return DashboardResource.page(401, "Sign in to the dashboard",
                    "The token behind the login code is not valid any more (expired since the code was issued).", true);
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
