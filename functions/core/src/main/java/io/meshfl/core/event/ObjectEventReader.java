package io.meshfl.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns whatever an object-store event arrived as into the objects it reports created. The one place event shapes
 * are registered: S3 notifications (direct, or inside SQS messages), MinIO-style webhooks, EventBridge, and
 * CloudEvents whose type is mapped here.
 */
public final class ObjectEventReader {

    /**
     * The CloudEvent type Knative's {@code IntegrationSource} for AWS SQS ({@code spec.aws.sqs}) emits, one event
     * per SQS message, the message body (the S3 notification) as data. Pinned: other types are refused by name, so
     * a mis-wired trigger fails loudly instead of being silently ignored.
     */
    public static final String KNATIVE_AWS_SQS_TYPE = "dev.knative.connector.event.aws-sqs";

    /** CloudEvent types whose data is an S3 notification (or another shape registered here). */
    public static final Set<String> MAPPED_CLOUD_EVENT_TYPES = Set.of(KNATIVE_AWS_SQS_TYPE);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<EventShape> shapes = List.of(
            new SqsMessageShape(),
            new S3NotificationShape(),
            new MinioNotificationShape(),
            new S3TestEventShape(),
            new EventBridgeShape(),
            new CloudEventShape());

    /** The objects {@code event} reports created; empty for recognised events about anything else. */
    public List<ObjectCreated> read(JsonNode event) {
        if (event == null || !event.isObject()) {
            throw new UnreadableEventException("An object-store event is a JSON object, got "
                    + (event == null ? "nothing" : event.getNodeType().toString().toLowerCase(Locale.ROOT)));
        }
        for (EventShape shape : shapes) {
            if (shape.recognises(event)) {
                return shape.objectsCreated(event, this);
            }
        }
        throw new UnreadableEventException("Not an object-store event MeshFL reads ("
                + shapes.stream().map(EventShape::name).collect(Collectors.joining(", "))
                + "); its top-level fields are " + fieldNames(event));
    }

    /** Reads an event given as JSON text (an SQS body, a request body). */
    public List<ObjectCreated> read(String json) {
        try {
            return read(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("Event is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads the data of a CloudEvent (either content mode) of a mapped type. */
    public List<ObjectCreated> read(CloudEvent event) {
        if (!MAPPED_CLOUD_EVENT_TYPES.contains(event.type())) {
            throw new UnreadableEventException("CloudEvent type '" + event.type() + "' (id '" + event.id()
                    + "', source '" + event.source() + "') is not mapped; MeshFL reads " + MAPPED_CLOUD_EVENT_TYPES);
        }
        return read(event.data());
    }

    <T> T convert(JsonNode event, Class<T> type, String shapeName) {
        try {
            return JSON.treeToValue(event, type);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("Malformed " + shapeName + ": " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> fieldNames(JsonNode event) {
        List<String> names = new ArrayList<>();
        event.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
