package io.meshfl.registry.problem;

import io.meshfl.http.problem.FailureAnswers;
import io.meshfl.http.problem.ProblemAnswer;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Problem+json for the answers the HTTP layer gives before RESTEasy's exception mappers could: a Funqy function's
 * body that is not JSON for its input (Funqy fails the request with a bare 400), a body over
 * {@code quarkus.http.limits.max-body-size} (413), a method or path nothing serves, and authentication failures
 * that reach the router. Failures with another cause (bugs) are left to Quarkus.
 */
@ApplicationScoped
public class HttpProblems {

    void install(@Observes Router router) {
        FailureAnswers.install(router, HttpProblems::answer);
    }

    private static ProblemAnswer answer(RoutingContext context) {
        Throwable failure = context.failure();
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            return ProblemAnswer.of(401, ProblemMapper.UNAUTHENTICATED_DETAIL);
        } else if (failure instanceof ForbiddenException) {
            return ProblemAnswer.of(403, "This token's role may not do this");
        } else if (failure == null && context.statusCode() >= 400 && context.statusCode() < 500) {
            return ProblemAnswer.of(context.statusCode(), detail(context.statusCode()));
        }
        return null;
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The body is not valid JSON for this request";
            case 404 -> "Nothing is served at this path";
            case 405 -> "This method is not served at this path";
            case 413 -> "The body is larger than the registry accepts";
            case 414 -> "The request line is longer than the registry accepts";
            case 415 -> "This content type is not accepted here";
            case 431 -> "The request's headers are larger than the registry accepts";
            default -> HttpResponseStatus.valueOf(status).reasonPhrase();
        };
    }
}
