package io.meshfl.core.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the JSON body AWS S3 sends for an object-created event notification (event message structure version
 * 2.1), one record per message as S3 does: what the local mesh's event bridge delivers, so the functions read
 * exactly the shape they read on AWS. {@link ObjectEventReader} reads it back ({@code S3EventNotificationCodecTest}).
 */
public final class S3NotificationWriter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter EVENT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String PRINCIPAL = "meshfl-local-mesh";

    private S3NotificationWriter() {
    }

    /**
     * @param eventName how the object was created: {@code ObjectCreated:Put}, {@code ObjectCreated:Copy} or
     *     {@code ObjectCreated:CompleteMultipartUpload}
     * @param sequence orders events of one key, as S3's {@code sequencer} does
     */
    public static String json(ObjectCreated object, String eventName, Instant time, String region, long sequence) {
        try {
            return JSON.writeValueAsString(Map.of("Records", List.of(record(object, eventName, time, region,
                    sequence))));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> record(ObjectCreated created, String eventName, Instant time, String region,
            long sequence) {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("key", S3EventNotification.encodeKey(created.key()));
        object.put("size", created.size());
        object.put("eTag", created.etag());
        object.put("sequencer", String.format("%016X", sequence));

        Map<String, Object> bucket = new LinkedHashMap<>();
        bucket.put("name", created.bucket());
        bucket.put("ownerIdentity", Map.of("principalId", PRINCIPAL));
        bucket.put("arn", "arn:aws:s3:::" + created.bucket());

        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("s3SchemaVersion", "1.0");
        s3.put("configurationId", "meshfl-update-created");
        s3.put("bucket", bucket);
        s3.put("object", object);

        Map<String, Object> record = new LinkedHashMap<>();
        record.put("eventVersion", "2.1");
        record.put("eventSource", "aws:s3");
        record.put("awsRegion", region);
        record.put("eventTime", EVENT_TIME.format(time));
        record.put("eventName", eventName);
        record.put("userIdentity", Map.of("principalId", PRINCIPAL));
        record.put("requestParameters", Map.of("sourceIPAddress", "127.0.0.1"));
        record.put("responseElements", Map.of(
                "x-amz-request-id", String.format("%016X", sequence),
                "x-amz-id-2", "meshfl/" + sequence));
        record.put("s3", s3);
        return record;
    }
}
