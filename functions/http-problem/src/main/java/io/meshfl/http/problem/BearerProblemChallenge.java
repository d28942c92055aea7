package io.meshfl.http.problem;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The bearer-token (JWT) mechanism with one change: its 401 carries a problem+json body. The HTTP layer answers a
 * request without a valid token before any resource, function or failure handler is chosen, so the challenge is
 * where that body is written. An application subclasses it as its {@code @Alternative @Priority(1)} mechanism and
 * passes the detail its callers should read.
 */
public abstract class BearerProblemChallenge implements HttpAuthenticationMechanism {

    private final JWTAuthMechanism jwt;
    private final String unauthenticatedDetail;

    protected BearerProblemChallenge(JWTAuthMechanism jwt, String unauthenticatedDetail) {
        this.jwt = jwt;
        this.unauthenticatedDetail = unauthenticatedDetail;
    }

    /** For the client proxy of a normal-scoped subclass: calls reach the real instance, never these nulls. */
    protected BearerProblemChallenge() {
        this(null, null);
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        return jwt.authenticate(context, identityProviderManager);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return jwt.getChallenge(context);
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!context.response().ended()) {
            ProblemAnswer.of(401, unauthenticatedDetail).writeTo(context);
        }
        return Uni.createFrom().item(true);
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return jwt.getCredentialTypes();
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return jwt.getCredentialTransport(context);
    }
}
