package io.meshfl.aggregation.http;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The HTTP binding's other refusals as problem+json: a token without the {@code function} role (403, a failure the
 * permission check hands the router), and request heads over the documented limits — a request line over
 * {@value #MAX_REQUEST_LINE} bytes (414) and headers over {@value #MAX_HEADER_BYTES} bytes (431), checked by the
 * first route of all. Vert.x's decoder answers heads over its own limits ({@code quarkus.http.limits
 * .max-initial-line-length}, {@code …max-header-size}, set far above these) with bare 414/431 before any route runs:
 * Quarkus creates the Vert.x server and offers no way to set its invalid-request handler.
 */
@ApplicationScoped
public class HttpRefusals {

    static final int MAX_REQUEST_LINE = 4096;
    static final int MAX_HEADER_BYTES = 20 * 1024;
    private static final int SPACES_AND_VERSION = " HTTP/1.1".length() + 1; // "GET" + " " + uri + " HTTP/1.1"

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::checkHead);
        router.route().failureHandler(this::onFailure);
    }

    private void checkHead(RoutingContext context) {
        var request = context.request();
        int line = request.method().name().length() + request.uri().length() + SPACES_AND_VERSION;
        if (line > MAX_REQUEST_LINE) {
            context.response().putHeader("Connection", "close");
            Problems.write(context, 414, "The request line is " + line + " bytes; the function accepts at most "
                    + MAX_REQUEST_LINE);
            return;
        }
        int headers = headerBytes(request.headers());
        if (headers > MAX_HEADER_BYTES) {
            context.response().putHeader("Connection", "close");
            Problems.write(context, 431, "The request's headers are " + headers + " bytes; the function accepts at "
                    + "most " + MAX_HEADER_BYTES);
            return;
        }
        context.next();
    }

    private void onFailure(RoutingContext context) {
        if (context.response().ended() || context.response().headWritten()) {
            context.next();
            return;
        }
        Throwable failure = context.failure();
        if (failure instanceof UnauthorizedException || failure instanceof AuthenticationFailedException) {
            Problems.write(context, 401, ProblemChallenge.UNAUTHENTICATED);
        } else if (failure instanceof ForbiddenException || failure == null && context.statusCode() == 403) {
            Problems.write(context, 403, "This token's role may not call the aggregation function (it needs the "
                    + "function role)");
        } else {
            context.next();
        }
    }

    /** The header block as sent: each line "name: value" and its CRLF. */
    private static int headerBytes(MultiMap headers) {
        int bytes = 0;
        for (var header : headers) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }
}
