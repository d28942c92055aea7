package io.meshfl.mesh.simulate;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * The simulation's S3 server: the local mesh's S3Proxy with a filesystem blob store, one key pair and no IAM policies
 * (the simulation measures aggregation, not authorisation). Jetty gets a thread per concurrent GET the run can make.
 */
final class SimulationServer implements AutoCloseable {

    static final String BUCKET = "meshfl-simulation";
    private static final String ACCESS_KEY = "simulation";
    private static final String SECRET_KEY = "simulation-secret";

    private final S3Proxy proxy;
    private final Path baseDir;
    final S3ObjectStore store;

    SimulationServer(Path baseDir, int maxThreads) throws Exception {
        this.baseDir = baseDir;
        java.nio.file.Files.createDirectories(baseDir);
        BlobStore blobs = new FilesystemNio2BlobStore(baseDir.toString());
        try {
            blobs.createContainer(BUCKET);
        } catch (RuntimeException exists) {
            // A second run over the same directory reuses the bucket.
        }
        proxy = S3Proxy.builder().blobStore(blobs).endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .jettyMaxThreads(maxThreads).build();
        proxy.start();
        for (int i = 0; i < 400 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        store = S3ObjectStore.connect(new S3Settings(BUCKET, "us-east-1",
                Optional.of(URI.create("http://127.0.0.1:" + proxy.getPort())), true, Optional.of(ACCESS_KEY),
                Optional.of(SECRET_KEY)));
    }

    /** Where the blob store keeps an object's bytes: the single aggregator reads them as local files. */
    Path file(String key) {
        return baseDir.resolve(BUCKET).resolve(key);
    }

    @Override
    public void close() throws Exception {
        store.close();
        proxy.stop();
    }
}
