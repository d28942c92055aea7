package io.meshfl.aggregation.http;

import io.meshfl.http.problem.FailureAnswers;
import io.meshfl.http.problem.ProblemAnswer;
import io.meshfl.http.problem.RequestHeadLimit;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The HTTP binding's other refusals as problem+json: a token without the {@code function} role (403, a failure the
 * permission check hands the router), and request heads over the documented limits ({@link RequestHeadLimit}: 414
 * and 431, checked by the first route of all; this build raises Vert.x's own decoder limits above them).
 */
@ApplicationScoped
public class HttpRefusals {

    void install(@Observes Router router) {
        RequestHeadLimit.install(router, "the function");
        FailureAnswers.install(router, HttpRefusals::answer);
    }

    private static ProblemAnswer answer(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            return ProblemAnswer.of(401, FunctionTokenChallenge.UNAUTHENTICATED);
        } else if (failure instanceof ForbiddenException || failure == null && context.statusCode() == 403) {
            return ProblemAnswer.of(403, "This token's role may not call the aggregation function (it needs the "
                    + "function role)");
        }
        return null;
    }
}
