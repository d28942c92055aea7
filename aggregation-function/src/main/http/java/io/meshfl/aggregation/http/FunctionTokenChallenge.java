package io.meshfl.aggregation.http;

import io.meshfl.http.problem.BearerProblemChallenge;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The bearer-token mechanism whose 401 carries a problem+json body: a call without a valid {@code function} token is
 * answered before Funqy or any failure handler sees it, so the challenge is where the body is written.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FunctionTokenChallenge extends BearerProblemChallenge {

    static final String UNAUTHENTICATED = "A bearer token of the federation's issuer with the function role is required";

    public FunctionTokenChallenge(JWTAuthMechanism jwt) {
        super(jwt, UNAUTHENTICATED);
    }
}
