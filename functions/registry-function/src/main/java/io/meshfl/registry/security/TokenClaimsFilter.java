package io.meshfl.registry.security;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Reads the caller of every API request once before its resource runs, so that a signed token with a malformed
 * claim (a {@code domain} that is an array or a number) is refused on every endpoint alike, including those that
 * never ask who is calling. The Funqy functions read the caller themselves ({@code RoundFunctions}). The identity
 * is awaited, not read, because the HTTP layer may not have resolved it yet on paths it lets through.
 */
public class TokenClaimsFilter {

    private final CurrentIdentityAssociation identities;

    public TokenClaimsFilter(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Void> checkClaims() {
        return identities.getDeferredIdentity().invoke(CurrentCaller::of).replaceWithVoid();
    }
}
