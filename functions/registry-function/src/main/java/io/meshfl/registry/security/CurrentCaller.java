package io.meshfl.registry.security;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
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
        if (identity.isAnonymous()) {
            return new Caller(null, Set.of(), null);
        }
        String domain = identity.getPrincipal() instanceof JsonWebToken token ? token.getClaim(DOMAIN_CLAIM) : null;
        return new Caller(identity.getPrincipal().getName(), identity.getRoles(), domain);
    }
}
