package io.meshfl.registry.events;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP receiver standing where a Knative Broker's ingress would (the registry's K_SINK): it records every
 * binary-mode CloudEvent it is sent, and answers with the status a test sets (202, as a Broker does, or 503).
 */
final class EventSink implements AutoCloseable {

    /** One request as received: its ce-* headers, content type, Authorization header (or null) and body. */
    record Received(Map<String, String> attributes, String contentType, String authorization, String body) {
        String id() {
            return attributes.get("id");
        }

        String type() {
            return attributes.get("type");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(202);

    EventSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::receive);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    void answer(int code) {
        status.set(code);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
            int code = status.get();
            if (code / 100 == 2) {
                Map<String, String> attributes = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.toLowerCase(java.util.Locale.ROOT).startsWith("ce-")) {
                        attributes.put(name.substring(3).toLowerCase(java.util.Locale.ROOT), values.get(0));
                    }
                });
                received.add(new Received(attributes, exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"), text));
            }
            exchange.sendResponseHeaders(code, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
