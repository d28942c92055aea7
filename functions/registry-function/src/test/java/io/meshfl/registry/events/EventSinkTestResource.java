package io.meshfl.registry.events;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Points the registry's round-events channel at an {@link EventSink} through the connector a Knative deployment uses,
 * with the periodic relay out of the way (tests relay on demand) and two attempts before an event is DEAD.
 */
public class EventSinkTestResource implements QuarkusTestResourceLifecycleManager {

    static EventSink sink;
    /** Where the SinkBinding would mount the OIDC token for the Broker (authentication-oidc on). */
    static Path oidcToken;

    @Override
    public Map<String, String> start() {
        try {
            sink = new EventSink();
            oidcToken = Files.createTempDirectory("oidc").resolve("token");
            Files.writeString(oidcToken, "first-oidc-token\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "mp.messaging.outgoing.round-events.connector", CloudEventsHttpConnector.NAME,
                "mp.messaging.outgoing.round-events.url", sink.url(),
                "mp.messaging.outgoing.round-events.oidc-token-file", oidcToken.toString(),
                "meshfl.events.relay-every", "1h",
                "meshfl.events.max-attempts", "2");
    }

    @Override
    public void stop() {
        sink.close();
    }
}
