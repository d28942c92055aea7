package io.meshfl.runtime.objectstore;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/** One S3 client per function instance, reused across invocations (warm Lambdas keep their connections). */
@ApplicationScoped
public class ObjectStoreProducer {

    @Produces
    @ApplicationScoped
    S3ObjectStore objectStore(ObjectStoreConfig config) {
        return S3ObjectStore.connect(new S3Settings(config.bucket(), config.region(), config.endpoint(),
                config.pathStyle(), config.accessKey(), config.secretKey()));
    }

    void close(@Disposes S3ObjectStore store) {
        store.close();
    }
}
