package io.meshfl.aggregation;

import io.meshfl.core.event.UnreadableEventException;
import io.vertx.core.json.JsonObject;
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
        router.route().failureHandler(this::onFailure);
    }

    private void onFailure(RoutingContext context) {
        if (context.response().ended() || context.response().headWritten()) {
            context.next();
            return;
        }
        UnreadableEventException unreadable = unreadable(context.failure());
        if (unreadable != null) {
            answer(context, 400, "Unreadable event", unreadable.getMessage());
        } else if (context.failure() == null && context.statusCode() == 400) {
            answer(context, 400, "Unreadable event", "The body is not JSON");
        } else if (context.failure() == null && context.statusCode() == 413) {
            answer(context, 413, "Event too large", "The event is larger than quarkus.http.limits.max-body-size");
        } else {
            context.next();
        }
    }

    private static UnreadableEventException unreadable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof UnreadableEventException e) {
                return e;
            }
        }
        return null;
    }

    private static void answer(RoutingContext context, int status, String title, String detail) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json")
                .end(new JsonObject().put("type", "about:blank").put("title", title).put("status", status)
                        .put("detail", detail).encode());
    }
}
