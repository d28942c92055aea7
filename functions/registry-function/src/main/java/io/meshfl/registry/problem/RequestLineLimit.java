package io.meshfl.registry.problem;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The registry's limit on the request line (method, target and version), answered 414 with a problem like every
 * other refusal. Vert.x answers a line over its own decoder limit while decoding it, before any route runs, with a
 * bare 414 that no Quarkus hook can give a body; so that decoder limit
 * ({@code quarkus.http.limits.max-initial-line-length}) is set well above {@value #MAX_REQUEST_LINE} bytes, and this
 * route, the first of all, refuses what lies between. Only a line over the decoder limit still gets the bare 414.
 * The header block is treated the same way: {@value #MAX_HEADER_BYTES} bytes here (431 with a problem), the decoder's
 * {@code quarkus.http.limits.max-header-size} far above it. Quarkus creates the Vert.x server itself and offers no
 * way to set its invalid-request handler, which is what writes the decoder's bare answers.
 */
@ApplicationScoped
public class RequestLineLimit {

    /** As Netty's default: the documented limit (docs/registry-api.md). */
    static final int MAX_REQUEST_LINE = 4096;
    /** Quarkus's default {@code max-header-size}: the documented limit of the header block. */
    static final int MAX_HEADER_BYTES = 20 * 1024;
    /** The two spaces and "HTTP/1.1" (HTTP/2 is off: quarkus.http.http2=false). */
    private static final int SPACES_AND_VERSION = " HTTP/1.1".length() + 1; // "GET" + " " + uri + " HTTP/1.1"

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::check);
    }

    private void check(RoutingContext context) {
        var request = context.request();
        int length = request.method().name().length() + request.uri().length() + SPACES_AND_VERSION;
        if (length > MAX_REQUEST_LINE) {
            context.response().putHeader("Connection", "close");
            HttpProblems.write(context, 414, "The request line is " + length + " bytes; the registry accepts at most "
                    + MAX_REQUEST_LINE);
            return;
        }
        int headers = headerBytes(request.headers());
        if (headers > MAX_HEADER_BYTES) {
            context.response().putHeader("Connection", "close");
            HttpProblems.write(context, 431, "The request's headers are " + headers + " bytes; the registry accepts at"
                    + " most " + MAX_HEADER_BYTES);
            return;
        }
        context.next();
    }

    /** The header block as sent: each line "name: value" and its CRLF. */
    static int headerBytes(io.vertx.core.MultiMap headers) {
        int bytes = 0;
        for (var header : headers) {
            bytes += header.getKey().length() + 2 + header.getValue().length() + 2;
        }
        return bytes;
    }
}
