package io.meshfl.mesh.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The JSON body AWS S3 sends for an object-created event notification (event message structure version 2.1),
 * one record per message as S3 does. The object key is URL-encoded the way S3 encodes it (form encoding:
 * a space becomes {@code +}), segment by segment so the slashes stay readable.
 */
public final class S3EventNotification {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String PRINCIPAL = "meshfl-local-mesh";

    private S3EventNotification() {
    }

    public static String json(ObjectCreated event, String region, long sequence) {
        try {
            return JSON.writeValueAsString(Map.of("Records", List.of(record(event, region, sequence))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** S3's key encoding, which consumers undo with a URL (form) decoder. */
    public static String encodeKey(String key) {
        return Arrays.stream(key.split("/", -1))
                .map(segment -> URLEncoder.encode(segment, StandardCharsets.UTF_8))
                .collect(Collectors.joining("/"));
    }

    private static Map<String, Object> record(ObjectCreated event, String region, long sequence) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", encodeKey(event.key()));
        object.put("size", event.size());
        object.put("eTag", event.etag());
        object.put("sequencer", String.format("%016X", sequence));

        Map<String, Object> bucket = new LinkedHashMap<>();
        bucket.put("name", event.bucket());
        bucket.put("ownerIdentity", Map.of("principalId", PRINCIPAL));
        bucket.put("arn", "arn:aws:s3:::" + event.bucket());

        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "meshfl-update-created");
        s3.put("bucket", bucket);
        s3.put("object", object);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(event.time()));
        record.put("eventName", event.eventName());
        record.put("userIdentity", Map.of("principalId", PRINCIPAL));
        record.put("requestParameters", Map.of("sourceIPAddress", "127.0.0.1"));
        record.put("responseElements", Map.of(
                "x-amz-request-id", String.format("%016X", sequence),
                "x-amz-id-2", "meshfl/" + sequence));
        record.put("s3", s3);
        return record;
    }
}
