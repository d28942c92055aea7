package io.meshfl.registry.security;

import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.Problem;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;

/** The caller of the current request, read from the verified JWT. */
@ApplicationScoped
public class CurrentCaller {

    /** The token claim naming the one domain a {@code domain} token acts for. */
    public static final String DOMAIN_CLAIM = "domain";

    @Inject
    SecurityIdentity identity;

    public Caller get() {
        return of(identity);
    }

    /** The caller a verified identity stands for; a 403 {@code Problem} if its token's claims are malformed. */
    public static Caller of(SecurityIdentity identity) {
        if (identity.isAnonymous()) {
            return new Caller(null, Set.of(), null);
        }
        String domain = identity.getPrincipal() instanceof JsonWebToken token ? domainClaim(token) : null;
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(), domain);
    }

    /**
     * A signed token is trusted for who signed it, not for the shape of its claims: a {@code domain} claim that is
     * an array, a number or not a domain id is refused (403) rather than cast.
     */
    private static String domainClaim(JsonWebToken token) {
        Object claim = token.getClaim(DOMAIN_CLAIM);
        if (claim == null) {
            return null;
        }
        String domain = claim instanceof String text ? text : claim instanceof JsonString json ? json.getString() : null;
        if (!ResourceIds.valid(domain)) {
            throw Problem.forbidden("The token's '" + DOMAIN_CLAIM + "' claim must be one domain id (a string that "
                    + ResourceIds.RULE + ")");
        }
        return domain;
    }
}
