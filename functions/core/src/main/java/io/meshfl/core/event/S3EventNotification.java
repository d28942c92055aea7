package io.meshfl.core.event;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The S3 event notification JSON (AWS, and S3-compatible stores that copy it such as MinIO): only the fields MeshFL
 * reads; everything else (user identity, request ids, version ids) is ignored so newer event versions still parse.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record S3EventNotification(@JsonProperty("Records") List<Record> records) {

    /** The event-name part that every creation variant shares: Put, Post, Copy, CompleteMultipartUpload. */
    static final String OBJECT_CREATED = "ObjectCreated:";

    S3EventNotification {
        records = records == null ? List.of() : List.copyOf(records);
    }

    /** Creations only; AWS names them {@code ObjectCreated:Put}, MinIO {@code s3:ObjectCreated:Put}. */
    List<ObjectCreated> objectsCreated() {
        return records.stream()
                .filter(r -> r.eventName() != null && r.eventName().contains(OBJECT_CREATED))
                .map(Record::objectCreated)
                .toList();
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Record(String eventSource, String eventName, S3 s3) {

        ObjectCreated objectCreated() {
            if (s3 == null || s3.object() == null || s3.object().key() == null) {
                throw new UnreadableEventException(
                        "S3 event record '" + eventName + "' from '" + eventSource + "' has no s3.object.key");
            }
            String bucket = s3.bucket() == null ? null : s3.bucket().name();
            return new ObjectCreated(bucket, decodeKey(s3.object().key()), s3.object().eTag(), s3.object().size());
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record S3(Bucket bucket, S3Object object) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Bucket(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record S3Object(String key, long size, String eTag) {
    }

    /**
     * S3's key encoding, the inverse of {@link #decodeKey}: form encoding segment by segment, so the slashes stay
     * readable ("red flower.jpg" becomes "red+flower.jpg", a real '+' "%2B").
     */
    static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }

    /**
     * Notification keys are form-encoded ("red flower.jpg" arrives as "red+flower.jpg", a real '+' as "%2B"), so
     * '+' decodes to a space; {@link URLDecoder} implements exactly that convention.
     */
    static String decodeKey(String encoded) {
        try {
            return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException("Object key '" + encoded + "' is not valid URL encoding", e);
        }
    }
}
