package io.meshfl.mesh.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.meshfl.core.event.CloudEvent;
import io.meshfl.core.event.UnreadableEventException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the local mesh's registry sends its round events: the same binary-mode CloudEvents over HTTP it sends to a
 * Knative Broker in a cluster (connector meshfl-cloudevents-http), received on loopback and appended, one JSON object
 * per line ({@code {"type", "subject", "id", "time", "data"}}), to a file in the mesh's logs. A 202 is the
 * acknowledgement that lets the registry mark the event sent; a line that cannot be written answers 500, so the
 * registry keeps the event and retries it.
 */
public final class RoundEventLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final Path file;
    private final AtomicLong received = new AtomicLong();

    private RoundEventLog(HttpServer server, Path file) {
        this.server = server;
        this.file = file;
    }

    public static RoundEventLog start(Path file) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            RoundEventLog log = new RoundEventLog(server, file);
            server.createContext("/", log::receive);
            server.start();
            return log;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the round-event receiver", e);
        }
    }

    /** The registry's K_SINK. */
    public URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public Path file() {
        return file;
    }

    public long received() {
        return received.get();
    }

    private void receive(HttpExchange exchange) throws IOException {
        try (exchange; InputStream body = exchange.getRequestBody()) {
            byte[] data = body.readAllBytes();
            if (!"POST".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            Map<String, String> headers = new HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            CloudEvent event;
            try {
                event = CloudEvent.binary(headers, data);
            } catch (UnreadableEventException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            ObjectNode line = JSON.createObjectNode();
            line.put("type", event.type());
            line.put("subject", event.subject());
            line.put("id", event.id());
            line.put("time", event.time());
            line.put("source", event.source());
            line.set("data", event.data());
            try {
                synchronized (this) {
                    Files.writeString(file, JSON.writeValueAsString(line) + "\n", StandardCharsets.UTF_8,
                            StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
            } catch (IOException e) {
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            received.incrementAndGet();
            exchange.sendResponseHeaders(202, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
