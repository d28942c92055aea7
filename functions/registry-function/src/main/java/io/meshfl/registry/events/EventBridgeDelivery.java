package io.meshfl.registry.events;

import io.meshfl.core.event.CloudEvent;
import java.time.Instant;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequest;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * One round event onto an EventBridge bus, as the domain modules' rules expect it (infra/terraform/modules/domain-aws,
 * rule round_opened): source {@value #SOURCE}, detail-type the CloudEvent type, detail the CloudEvent data, time the
 * event's time. PutEvents answers 200 even when it refuses an entry: the entry's error code is what says so.
 */
final class EventBridgeDelivery {

    static final String SOURCE = "meshfl.registry";

    private final EventBridgeClient client;
    private final String bus;

    EventBridgeDelivery(EventBridgeClient client, String bus) {
        this.client = client;
        this.bus = bus;
    }

    static PutEventsRequestEntry entry(CloudEvent event, String bus) {
        PutEventsRequestEntry.Builder entry = PutEventsRequestEntry.builder()
                .eventBusName(bus)
                .source(SOURCE)
                .detailType(event.type())
                .detail(event.dataJson());
        if (event.time() != null) {
            entry.time(Instant.parse(event.time()));
        }
        return entry.build();
    }

    /** Puts the event; an exception naming EventBridge's reason if it was not accepted. */
    void put(CloudEvent event) {
        PutEventsResponse response = client.putEvents(PutEventsRequest.builder().entries(entry(event, bus)).build());
        if (response.failedEntryCount() != null && response.failedEntryCount() > 0) {
            PutEventsResultEntry refused = response.entries().get(0);
            throw new IllegalStateException("EventBridge refused the event on bus " + bus + ": "
                    + refused.errorCode() + " " + refused.errorMessage());
        }
    }
}
