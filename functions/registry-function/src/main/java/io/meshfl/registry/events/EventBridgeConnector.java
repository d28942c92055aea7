package io.meshfl.registry.events;

import io.meshfl.core.event.CloudEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.smallrye.reactive.messaging.connector.OutboundConnector;
import io.smallrye.reactive.messaging.providers.helpers.MultiUtils;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.concurrent.Flow;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClientBuilder;

/**
 * Delivers the channel's CloudEvents to an Amazon EventBridge bus (attribute {@code bus}; optional {@code region},
 * else the Lambda's AWS_REGION, and {@code endpoint} for a VPC endpoint with its own name). Credentials come from the
 * default chain: the Lambda's role, which the policies module lets put events on that one bus. A message is
 * acknowledged once EventBridge accepted the entry.
 */
@ApplicationScoped
@Connector(EventBridgeConnector.NAME)
public class EventBridgeConnector implements OutboundConnector {

    public static final String NAME = "meshfl-eventbridge";

    @Override
    public Flow.Subscriber<? extends Message<?>> getSubscriber(Config config) {
        String bus = config.getOptionalValue("bus", String.class).orElseThrow(() -> new IllegalStateException(
                "The " + NAME + " connector needs the bus attribute (mp.messaging.outgoing.round-events.bus)"));
        EventBridgeClientBuilder builder = EventBridgeClient.builder().httpClient(UrlConnectionHttpClient.create());
        config.getOptionalValue("region", String.class).map(Region::of).ifPresent(builder::region);
        config.getOptionalValue("endpoint", String.class).map(URI::create).ifPresent(builder::endpointOverride);
        EventBridgeDelivery delivery = new EventBridgeDelivery(builder.build(), bus);
        return MultiUtils.via(messages -> messages.onItem().transformToUniAndConcatenate(message -> deliver(delivery, message)));
    }

    private static Uni<Void> deliver(EventBridgeDelivery delivery, Message<?> message) {
        return Uni.createFrom().item(() -> {
                    delivery.put(CloudEvent.structured(String.valueOf(message.getPayload())));
                    return message;
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) // the SDK's client blocks
                .onItemOrFailure().transformToUni((sent, failure) -> Uni.createFrom().completionStage(
                        failure == null ? message.ack() : message.nack(failure)));
    }
}
