package io.meshfl.core.objectstore;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** {@link ObjectStore} on the AWS SDK v2: AWS S3 itself or any S3-compatible server. */
public final class S3ObjectStore implements ObjectStore, AutoCloseable {

    /** User metadata naming the conditional PUT that created an object (see {@link #putIfAbsent}). */
    static final String PUT_ATTEMPT = "meshfl-put-attempt";

    private final S3Client s3;
    private final String bucket;

    public S3ObjectStore(S3Client s3, String bucket) {
        this.s3 = s3;
        this.bucket = bucket;
    }

    public static S3ObjectStore connect(S3Settings settings) {
        return new S3ObjectStore(client(settings), settings.bucket());
    }

    /**
     * The S3 client {@link #connect} uses, for what the port does not offer: tests that check what a principal
     * could do with the store's credentials outside MeshFL's code (a server-side copy, for one).
     */
    public static S3Client client(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClient(UrlConnectionHttpClient.create())
                // No "Expect: 100-continue" on PUTs. Twice in one day's suites a conditional put (If-None-Match) reported
                // "exists" for an object holding its own bytes, the signature of a PUT the SDK retried after the server
                // had stored it; the JDK's HttpURLConnection and that interim answer are the suspected cause (others
                // report PUT failures with this client and the header). Small objects also save a round trip.
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle())
                        .expectContinueEnabled(false).build());
        settings.endpoint().ifPresent(builder::endpointOverride);
        if (settings.accessKey().isPresent()) {
            builder.credentialsProvider(StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow())));
        } else {
            builder.credentialsProvider(DefaultCredentialsProvider.builder().build());
        }
        return builder.build();
    }

    @Override
    public StoredObject put(String key, byte[] content, Map<String, String> userMetadata) {
        var response = s3.putObject(b -> b.bucket(bucket).key(key).metadata(userMetadata), RequestBody.fromBytes(content));
        return new StoredObject(key, content.length, response.eTag());
    }

    @Override
    public StoredObject put(String key, Path file, Map<String, String> userMetadata) {
        var response = s3.putObject(b -> b.bucket(bucket).key(key).metadata(userMetadata), RequestBody.fromFile(file));
        try {
            return new StoredObject(key, Files.size(file), response.eTag());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<StoredObject> putIfAbsent(String key, Path file, Map<String, String> userMetadata) {
        // Each attempt is marked, so that a 412 answering the SDK's own retry of a PUT that was stored (its answer
        // lost on the way) is recognised as this attempt's success, not as another writer's object.
        String attempt = UUID.randomUUID().toString();
        Map<String, String> metadata = new HashMap<>(userMetadata);
        metadata.put(PUT_ATTEMPT, attempt);
        try {
            var response = s3.putObject(b -> b.bucket(bucket).key(key).metadata(metadata).ifNoneMatch("*"),
                    RequestBody.fromFile(file));
            return Optional.of(new StoredObject(key, Files.size(file), response.eTag()));
        } catch (S3Exception e) {
            // 412: the key exists. 409 (AWS S3): a concurrent conditional write of the key is in progress — the
            // other writer wins or retries; either way this one did not create the object, unless the object there
            // is this very attempt's.
            if (e.statusCode() == 412 || e.statusCode() == 409) {
                return storedBy(key, attempt);
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The object at {@code key} if the conditional PUT {@code attempt} created it. */
    Optional<StoredObject> storedBy(String key, String attempt) {
        return headObject(key).filter(head -> attempt.equals(head.metadata().get(PUT_ATTEMPT)))
                .map(head -> new StoredObject(key, head.contentLength(), head.eTag()));
    }

    @Override
    public Optional<StoredObject> head(String key) {
        return headObject(key).map(head -> new StoredObject(key, head.contentLength(), head.eTag()));
    }

    private Optional<HeadObjectResponse> headObject(String key) {
        try {
            return Optional.of(s3.headObject(b -> b.bucket(bucket).key(key)));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            // HEAD responses have no body, so some servers report a missing key only as a bare 404.
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return s3.getObject(b -> b.bucket(bucket).key(key));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(bucket, key);
        }
    }

    /**
     * A ranged GET. S3 answers 206 with a Content-Range; a server that ignores the Range header answers 200 with the
     * whole object, which is then skipped to {@code from}, so the caller sees the same bytes either way.
     */
    @Override
    public InputStream openRange(String key, long from, long to) {
        if (from >= to) {
            return InputStream.nullInputStream();
        }
        ResponseInputStream<GetObjectResponse> response;
        try {
            response = s3.getObject(b -> b.bucket(bucket).key(key).range("bytes=" + from + "-" + (to - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(bucket, key);
        }
        String range = response.response().contentRange();
        if (range != null && range.startsWith("bytes " + from + "-")) {
            return new ByteRangeStream(response, to - from);
        }
        try {
            response.skipNBytes(from);
            return new ByteRangeStream(response, to - from);
        } catch (IOException e) {
            ByteRangeStream.closeQuietly(response);
            throw new UncheckedIOException("Could not skip to byte " + from + " of '" + key + "'", e);
        }
    }

    @Override
    public byte[] read(String key) {
        try {
            return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchObjectException(bucket, key);
        }
    }

    @Override
    public void download(String key, Path target) {
        try (InputStream in = open(key)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not download '" + key + "' to " + target, e);
        }
    }

    @Override
    public List<StoredObject> list(String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(o -> new StoredObject(o.key(), o.size(), o.eTag()))
                .toList();
    }

    @Override
    public void delete(String key) {
        s3.deleteObject(b -> b.bucket(bucket).key(key));
    }

    /** Throws if the bucket does not exist or these credentials cannot reach it. */
    public void checkBucket() {
        s3.headBucket(b -> b.bucket(bucket));
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public void close() {
        s3.close();
    }
}
