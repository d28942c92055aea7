package io.meshfl.aggregation;

import io.meshfl.core.event.UnreadableEventException;
import io.meshfl.http.problem.FailureAnswers;
import io.meshfl.http.problem.ProblemAnswer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * HTTP and Knative: an event the function cannot read is the sender's error, answered 400 with the parse error as
 * problem+json, so that no transport (Knative's retries, a webhook's) sends it again. Funqy itself fails an invocation
 * whose body is not JSON with a bare 400; that gets the same shape. Other failures stay 500s: they are worth a retry.
 */
@ApplicationScoped
public class UnreadableEventAnswer {

    void install(@Observes Router router) {
        FailureAnswers.install(router, UnreadableEventAnswer::answer);
    }

    private static ProblemAnswer answer(RoutingContext context) {
        UnreadableEventException unreadable = unreadable(context.failure());
        if (unreadable != null) {
            return new ProblemAnswer(400, "Unreadable event", unreadable.getMessage());
        } else if (context.failure() == null && context.statusCode() == 400) {
            return new ProblemAnswer(400, "Unreadable event", "The body is not JSON");
        } else if (context.failure() == null && context.statusCode() == 413) {
            return new ProblemAnswer(413, "Event too large",
                    "The event is larger than quarkus.http.limits.max-body-size");
        }
        return null;
    }

    private static UnreadableEventException unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnreadableEventException e) {
                return e;
            }
        }
        return null;
    }
}
