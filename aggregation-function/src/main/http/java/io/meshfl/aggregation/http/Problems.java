package io.meshfl.aggregation.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** RFC 9457 problem+json, the shape of every refusal of the HTTP binding (as the registry's, docs/registry-api.md). */
final class Problems {

    static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    static void write(RoutingContext context, int status, String detail) {
        JsonObject body = new JsonObject()
                .put("type", "about:blank")
                .put("title", HttpResponseStatus.valueOf(status).reasonPhrase())
                .put("status", status)
                .put("detail", detail);
        var response = context.response().setStatusCode(status).putHeader("Content-Type", PROBLEM_JSON);
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(body.encode());
    }
}
