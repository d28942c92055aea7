package io.meshfl.registry.problem;

import io.meshfl.http.problem.RequestHeadLimit;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The registry's limits on a request's head (request line 4096 bytes, headers 20 KiB), answered 414/431 with a
 * problem like every other refusal; application.properties sets Vert.x's decoder limits far above them (see
 * {@link RequestHeadLimit} for why both).
 */
@ApplicationScoped
public class RequestLineLimit {

    void install(@Observes Router router) {
        RequestHeadLimit.install(router, "the registry");
    }
}
