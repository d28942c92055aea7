package io.meshfl.registry.events;

import io.meshfl.core.event.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

/**
 * Delivers the channel's CloudEvents over HTTP in binary mode (ce-* headers, the data as the body): what a Knative
 * Broker's ingress takes. The address is the channel's {@code url} attribute, else {@code K_SINK}, which a Knative
 * SinkBinding injects (federation-knative binds the registry to the Broker). A message is acknowledged on a 2xx
 * answer and negatively acknowledged otherwise, so the outbox keeps the event for a retry.
 *
 * <p>Where Knative Eventing's sender identity is on (authentication-oidc), the SinkBinding mounts an OIDC token for
 * the Broker's audience at {@value #DEFAULT_OIDC_TOKEN_FILE} and keeps it current; each event then carries it as a
 * bearer token, read again for every send, so the Broker's EventPolicy can admit the registry and refuse anyone
 * else. Without the file (the feature off, or no cluster) events go without it. The channel's
 * {@code oidc-token-file} attribute names another file.
 */
@ApplicationScoped
@Connector(CloudEventsHttpConnector.NAME)
public class CloudEventsHttpConnector implements OutboundConnector {

    public static final String NAME = "meshfl-cloudevents-http";
    static final String DEFAULT_OIDC_TOKEN_FILE = "/oidc/token";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String url = config.getOptionalValue("url", String.class)
                .or(() -> ConfigProvider.getConfig().getOptionalValue("K_SINK", String.class))
                .orElseThrow(() -> new IllegalStateException("The " + NAME + " connector needs a url attribute or"
                        + " K_SINK (a Knative SinkBinding sets it)"));
        URI sink = URI.create(url);
        Path oidcToken = Path.of(config.getOptionalValue("oidc-token-file", String.class).orElse(DEFAULT_OIDC_TOKEN_FILE));
        return MultiUtils.via(messages -> messages.onItem()
                .transformToUniAndConcatenate(message -> deliver(sink, oidcToken, message)));
    }

    private Uni<Void> deliver(URI sink, Path oidcTokenFile, Message<?> message) {
        CloudEvent event;
        try {
            event = CloudEvent.structured(String.valueOf(message.getPayload()));
        } catch (RuntimeException e) {
            return Uni.createFrom().completionStage(message.nack(e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(event.dataJson()));
        oidcToken(oidcTokenFile).ifPresent(token -> request.header("Authorization", "Bearer " + token));
        event.binaryHeaders().forEach(request::header);
        return Uni.createFrom().completionStage(() -> client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()))
                .onItemOrFailure().transformToUni((response, failure) -> {
                    if (failure != null) {
                        return Uni.createFrom().completionStage(message.nack(failure));
                    }
                    if (response.statusCode() / 100 == 2) {
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    return Uni.createFrom().completionStage(message.nack(new IllegalStateException(
                            sink + " answered " + response.statusCode() + ": " + abbreviated(response.body()))));
                });
    }

    private static Optional<String> oidcToken(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            return token.isEmpty() ? Optional.empty() : Optional.of(token);
        } catch (IOException e) {
            // Sent without it, the Broker refuses the event and the outbox keeps it for the next attempt.
            return Optional.empty();
        }
    }

    private static String abbreviated(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
