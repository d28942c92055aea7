package io.meshfl.core.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * MinIO-style bucket notification, as its webhook target POSTs it: the S3 record layout with {@code eventSource}
 * "minio:s3", event names prefixed {@code s3:} ("s3:ObjectCreated:Put"), and a top-level {@code EventName} and
 * {@code Key} ("bucket/key") that MeshFL does not need. Keys in the records are URL-encoded like AWS's.
 */
final class MinioNotificationShape implements EventShape {

    @Override
    public String name() {
        return "MinIO bucket notification";
    }

    @Override
    public boolean recognises(JsonNode event) {
        JsonNode first = event.path("Records").path(0);
        return first.has("s3") && "minio:s3".equals(first.path("eventSource").asText());
    }

    @Override
    public List<ObjectCreated> objectsCreated(JsonNode event, ObjectEventReader nested) {
        return nested.convert(event, S3EventNotification.class, name()).objectsCreated();
    }
}
