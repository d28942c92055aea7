package io.meshfl.http.problem;

import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The documented limits on a request's head, answered with a problem like every other refusal: a request line
 * (method, target and version) over {@value #MAX_REQUEST_LINE} bytes gets 414, a header block over
 * {@value #MAX_HEADER_BYTES} bytes 431, both from the first route of all. Vert.x answers a head over its own decoder
 * limits while decoding it, before any route runs, with a bare 414/431 that no Quarkus hook can give a body (Quarkus
 * creates the Vert.x server and offers no way to set its invalid-request handler); so an application using this sets
 * {@code quarkus.http.limits.max-initial-line-length} and {@code …max-header-size} well above these, and only a head
 * over those still gets the bare answer.
 */
public final class RequestHeadLimit {

    /** As Netty's default. */
    public static final int MAX_REQUEST_LINE = 4096;
    /** Quarkus's default {@code max-header-size}. */
    public static final int MAX_HEADER_BYTES = 20 * 1024;
    /** The two spaces and "HTTP/1.1" (HTTP/2 is off: quarkus.http.http2=false). */
    private static final int SPACES_AND_VERSION = " HTTP/1.1".length() + 1; // "GET" + " " + uri + " HTTP/1.1"

    private RequestHeadLimit() {
    }

    /** Installs the check as the first route of {@code router}; {@code server} names who refuses ("the registry"). */
    public static void install(Router router, String server) {
        router.route().order(Integer.MIN_VALUE).handler(context -> check(context, server));
    }

    private static void check(RoutingContext context, String server) {
        var request = context.request();
        int line = request.method().name().length() + request.uri().length() + SPACES_AND_VERSION;
        if (line > MAX_REQUEST_LINE) {
            context.response().putHeader("Connection", "close");
            ProblemAnswer.of(414, "The request line is " + line + " bytes; " + server + " accepts at most "
                    + MAX_REQUEST_LINE).writeTo(context);
            return;
        }
        int headers = headerBytes(request.headers());
        if (headers > MAX_HEADER_BYTES) {
            context.response().putHeader("Connection", "close");
            ProblemAnswer.of(431, "The request's headers are " + headers + " bytes; " + server + " accepts at most "
                    + MAX_HEADER_BYTES).writeTo(context);
            return;
        }
        context.next();
    }

    /** The header block as sent: each line "name: value" and its CRLF. */
    static int headerBytes(MultiMap headers) {
        int bytes = 0;
        for (var header : headers) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }
}
