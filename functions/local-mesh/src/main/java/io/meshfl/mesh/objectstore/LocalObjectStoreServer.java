package io.meshfl.mesh.objectstore;

import io.meshfl.mesh.events.ObjectCreatedListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.gaul.s3proxy.AccessGrant;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;

/**
 * The local S3 server: S3Proxy embedded in this JVM on a loopback port, storing objects as files under one
 * directory, speaking the S3 protocol with AWS v2/v4 signatures, and telling a listener about every object it
 * creates (the hook the event bridge hangs on). Every principal signs with its own key pair and sees the store
 * through its own {@link AccessPolicy}, as each domain and function has its own IAM role in the cloud: the IAM
 * documents the Terraform {@code policies} module renders ({@link FederationAccess}), evaluated with IAM's rules.
 */
public final class LocalObjectStoreServer implements AutoCloseable {

    public static final String REGION = "us-east-1";

    /** The most recent refusals kept for {@link #denials()}; older ones are in the log only. */
    private static final int KEPT_DENIALS = 1000;

    private final S3Proxy proxy;
    private final URI endpoint;
    private final Deque<AccessDenied> denials;

    private LocalObjectStoreServer(S3Proxy proxy, URI endpoint, Deque<AccessDenied> denials) {
        this.proxy = proxy;
        this.endpoint = endpoint;
        this.denials = denials;
    }

    /**
     * Starts the server with {@code bucket} created (if it is not there yet) under {@code baseDir}; port 0 picks a
     * free port. Requests signed by anyone but {@code principals} are refused.
     */
    public static LocalObjectStoreServer start(Path baseDir, String bucket, int port, List<S3Principal> principals,
                                               ObjectCreatedListener listener) {
        return start(baseDir, bucket, port, principals, listener, false);
    }

    /**
     * As above; with {@code audit}, requests the policies deny are only recorded ({@link #denials()}) and logged,
     * and served anyway: one run then lists every call a policy forbids.
     */
    public static LocalObjectStoreServer start(Path baseDir, String bucket, int port, List<S3Principal> principals,
                                               ObjectCreatedListener listener, boolean audit) {
        try {
            Files.createDirectories(baseDir);
            NotifyingBlobStore blobStore = new NotifyingBlobStore(new FilesystemNio2BlobStore(baseDir.toString()), listener);
            if (!bucketExists(blobStore, bucket)) {
                blobStore.createContainer(bucket);
            }
            Deque<AccessDenied> denials = new ConcurrentLinkedDeque<>();
            AccessDeniedListener keep = denial -> {
                denials.addLast(denial);
                while (denials.size() > KEPT_DENIALS) {
                    denials.pollFirst();
                }
            };
            Map<String, AccessGrant> grants = new HashMap<>();
            for (S3Principal principal : principals) {
                grants.put(principal.accessKey(), new AccessGrant(principal.secretKey(),
                        new ScopedBlobStore(blobStore, principal.policy(), keep, audit)));
            }
            S3Principal first = principals.get(0);
            // Unsigned requests get S3Proxy's default store: one that no policy allows anything.
            AccessPolicy anonymous = new AccessPolicy("anonymous", "*", List.of(), Optional.empty());
            S3Proxy proxy = S3Proxy.builder()
                    .blobStore(new ScopedBlobStore(blobStore, anonymous, keep, false))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, first.accessKey(), first.secretKey())
                    .build();
            // Unknown access keys get no grant: S3Proxy answers 403 InvalidAccessKeyId.
            proxy.setBlobStoreLocator((identity, container, blob) -> grants.get(identity));
            proxy.start();
            awaitStarted(proxy);
            return new LocalObjectStoreServer(proxy, URI.create("http://127.0.0.1:" + proxy.getPort()), denials);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the object store directory " + baseDir, e);
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the local S3 server (S3Proxy) on port " + port + " over "
                    + baseDir + ": " + e.getMessage(), e);
        }
    }

    private static boolean bucketExists(NotifyingBlobStore blobStore, String bucket) {
        try {
            blobStore.headBucket(HeadBucketRequest.builder().bucket(bucket).build());
            return true;
        } catch (RuntimeException missing) {
            return false;
        }
    }

    private static void awaitStarted(S3Proxy proxy) throws InterruptedException {
        for (int i = 0; i < 200 && !"STARTED".equals(proxy.getState()); i++) {
            Thread.sleep(25);
        }
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("S3Proxy is " + proxy.getState() + " after 5 s");
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    public String region() {
        return REGION;
    }

    /** The requests refused on IAM grounds so far (the last {@value #KEPT_DENIALS}), oldest first. */
    public List<AccessDenied> denials() {
        return List.copyOf(denials);
    }

    @Override
    public void close() {
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the local S3 server", e);
        }
    }
}
