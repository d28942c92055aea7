package io.meshfl.aggregation;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * Core's event parser maps the S3 notification onto these records with its own ObjectMapper, which Quarkus does
 * not see: a native image needs them registered for reflection. By name, because they are package-private in
 * core (native-build/README.md, native-build/reflection-coverage.sh).
 */
@RegisterForReflection(classNames = {
        "io.meshfl.core.event.S3EventNotification",
        "io.meshfl.core.event.S3EventNotification$Record",
        "io.meshfl.core.event.S3EventNotification$S3",
        "io.meshfl.core.event.S3EventNotification$Bucket",
        "io.meshfl.core.event.S3EventNotification$S3Object"})
final class EventJsonTypes {

    private EventJsonTypes() {
    }
}
