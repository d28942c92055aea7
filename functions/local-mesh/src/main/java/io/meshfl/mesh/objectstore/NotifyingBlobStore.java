package io.meshfl.mesh.objectstore;

import io.meshfl.mesh.events.BlobCreated;
import io.meshfl.mesh.events.ObjectCreatedListener;
import java.io.InputStream;
import java.time.Instant;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * S3Proxy's blob store with object-created notifications: the three ways S3 creates an object (PUT, COPY,
 * completing a multipart upload) tell the listener after the object is stored, as S3 does. S3Proxy itself
 * answers 501 to bucket notification configuration, so this is where the local mesh gets its events.
 */
final class NotifyingBlobStore extends ForwardingBlobStore {

    private final ObjectCreatedListener listener;

    NotifyingBlobStore(BlobStore delegate, ObjectCreatedListener listener) {
        super(delegate);
        this.listener = listener;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        notify(request.bucket(), request.key(), "ObjectCreated:Put");
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        notify(request.destinationBucket(), request.destinationKey(), "ObjectCreated:Copy");
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        notify(upload.containerName(), upload.blobName(), "ObjectCreated:CompleteMultipartUpload");
        return response;
    }

    /** Size and ETag come from the stored object: a chunked upload's request does not know its length. */
    private void notify(String bucket, String key, String eventName) {
        HeadObjectResponse stored = delegate().blobMetadata(bucket, key);
        listener.objectCreated(new BlobCreated(bucket, key, unquote(stored.eTag()), stored.contentLength(), eventName,
                Instant.now()));
    }

    private static String unquote(String etag) {
        return etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")
                ? etag.substring(1, etag.length() - 1)
                : etag;
    }
}
