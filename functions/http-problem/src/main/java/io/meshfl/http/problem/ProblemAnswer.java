package io.meshfl.http.problem;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * An RFC 9457 problem+json answer written straight to the router's response, for refusals no exception mapper sees
 * (docs/registry-api.md describes the shape). A 401 also names the scheme the caller should use.
 *
 * @param status the HTTP status
 * @param title a short summary of the kind of problem
 * @param detail what was wrong with this request
 */
public record ProblemAnswer(int status, String title, String detail) {

    public static final String PROBLEM_JSON = "application/problem+json";

    /** A problem titled with the status's reason phrase ("Unauthorized", "Request-URI Too Long", …). */
    public static ProblemAnswer of(int status, String detail) {
        return new ProblemAnswer(status, HttpResponseStatus.valueOf(status).reasonPhrase(), detail);
    }

    /** Writes this problem as the whole response and ends it. */
    public void writeTo(RoutingContext context) {
        JsonObject body = new JsonObject()
                .put("type", "about:blank")
                .put("title", title)
                .put("status", status)
                .put("detail", detail);
        var response = context.response().setStatusCode(status).putHeader("Content-Type", PROBLEM_JSON);
        if (status == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        response.end(body.encode());
    }
}
