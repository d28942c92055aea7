package io.meshfl.http.problem;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;

/**
 * A router failure handler that answers the failures an application recognises as problem+json and hands every
 * other one on to Quarkus (a bug stays a 500, worth a retry). A response already started is left alone.
 */
public final class FailureAnswers {

    private FailureAnswers() {
    }

    /**
     * Installs {@code answer} as a failure handler of every route of {@code router}.
     *
     * @param answer the problem for a failure it recognises (look at {@link RoutingContext#failure()} and
     *     {@link RoutingContext#statusCode()}), or null to pass it on
     */
    public static void install(Router router, Function<RoutingContext, ProblemAnswer> answer) {
        router.route().failureHandler(context -> {
            if (context.response().ended() || context.response().headWritten()) {
                context.next();
                return;
            }
            ProblemAnswer problem = answer.apply(context);
            if (problem == null) {
                context.next();
            } else {
                problem.writeTo(context);
            }
        });
    }
}
