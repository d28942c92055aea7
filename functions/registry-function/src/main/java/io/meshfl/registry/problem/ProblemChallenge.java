package io.meshfl.registry.problem;

import io.meshfl.http.problem.BearerProblemChallenge;
import io.quarkus.smallrye.jwt.runtime.auth.JWTAuthMechanism;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

/**
 * The registry's bearer-token mechanism: its 401 carries a problem+json body like every other error of the
 * registry. The HTTP layer answers requests without a valid token before any resource or function is chosen, so
 * the exception mappers never see them; the challenge is where that answer is written.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ProblemChallenge extends BearerProblemChallenge {

    public ProblemChallenge(JWTAuthMechanism jwt) {
        super(jwt, ProblemMapper.UNAUTHENTICATED_DETAIL);
    }
}
