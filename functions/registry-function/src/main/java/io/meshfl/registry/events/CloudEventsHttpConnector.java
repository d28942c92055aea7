package io.meshfl.registry.events;

import io.meshfl.core.event.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 */
@ApplicationScoped
@Connector(CloudEventsHttpConnector.NAME)
public class CloudEventsHttpConnector implements OutboundConnector {

    public static final String NAME = "meshfl-cloudevents-http";

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String url = config.getOptionalValue("url", String.class)
                .or(() -> ConfigProvider.getConfig().getOptionalValue("K_SINK", String.class))
                .orElseThrow(() -> new IllegalStateException("The " + NAME + " connector needs a url attribute or"
                        + " K_SINK (a Knative SinkBinding sets it)"));
        URI sink = URI.create(url);
        return MultiUtils.via(messages -> messages.onItem().transformToUniAndConcatenate(message -> deliver(sink, message)));
    }

    private Uni<Void> deliver(URI sink, Message<?> message) {
        CloudEvent event;
        try {
            event = CloudEvent.structured(String.valueOf(message.getPayload()));
        } catch (RuntimeException e) {
            return Uni.createFrom().completionStage(message.nack(e));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(sink).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(event.dataJson()));
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

    private static String abbreviated(String body) {
        return body.length() <= 200 ? body : body.substring(0, 200) + "…";
    }
}
