package io.meshfl.mesh.events;

/** Told about every object the local S3 server stores, after it is stored. */
@FunctionalInterface
public interface ObjectCreatedListener {

    void objectCreated(BlobCreated event);
}
