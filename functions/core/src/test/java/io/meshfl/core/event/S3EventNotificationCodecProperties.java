package io.meshfl.core.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * The local mesh writes S3 notifications with {@link S3NotificationWriter}; the functions read them with
 * {@link ObjectEventReader}. One codec: whatever key (spaces, '+', '%', non-ASCII, slashes) and ETag is written
 * reads back as the same object.
 */
class S3EventNotificationCodecProperties {

    private final ObjectEventReader reader = new ObjectEventReader();

    @Property(tries = 300)
    void whatIsWrittenReadsBackAsTheSameObject(@ForAll("keys") String key, @ForAll("etags") String etag,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE / 2) long size) {
        ObjectCreated written = new ObjectCreated("meshfl", key, etag, size);

        String json = S3NotificationWriter.json(written, "ObjectCreated:Put", Instant.parse("2026-12-02T08:00:00Z"),
                "eu-west-1", 7);

        assertThat(reader.read(json)).containsExactly(written);
    }

    @Provide
    Arbitrary<String> keys() {
        Arbitrary<String> segment = Arbitraries.strings()
                .withChars("abcXYZ019 +%&=?#éü_.-~").ofMinLength(1).ofMaxLength(12);
        return segment.list().ofMinSize(1).ofMaxSize(6).map(parts -> String.join("/", parts));
    }

    @Provide
    Arbitrary<String> etags() {
        return Arbitraries.strings().withChars("0123456789abcdef").ofLength(32);
    }
}
