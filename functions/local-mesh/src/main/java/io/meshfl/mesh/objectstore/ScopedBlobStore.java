package io.meshfl.mesh.objectstore;

import io.meshfl.core.objectstore.ObjectKeySyntax;
import java.io.InputStream;
import java.util.List;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.BucketCannedACL;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.CreateBucketResponse;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.DeleteBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.GetBucketAclRequest;
import software.amazon.awssdk.services.s3.model.GetBucketAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListBucketsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectCannedACL;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.PutBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.PutBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;
import software.amazon.awssdk.services.s3.model.UploadPartResponse;

/**
 * The blob store as one identity sees it: every operation is checked against that identity's {@link AccessPolicy}
 * before it reaches the store, and refused with S3's {@code 403 AccessDenied} otherwise. Each operation S3Proxy
 * can forward is listed here, so a new one is refused until someone decides which permission it needs.
 */
final class ScopedBlobStore extends ForwardingBlobStore {

    private final AccessPolicy policy;

    ScopedBlobStore(BlobStore delegate, AccessPolicy policy) {
        super(delegate);
        this.policy = policy;
    }

    @Override
    public ListBucketsResponse list() {
        requireAdministrator("ListBuckets");
        return super.list();
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        requireCanonicalPrefix(request.prefix());
        if (!policy.mayList(request.prefix())) {
            throw denied("ListObjects", request.prefix() == null ? "(whole bucket)" : request.prefix() + "*");
        }
        return super.list(request);
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        requireAdministrator("CreateBucket");
        return super.createContainer(request);
    }

    @Override
    public BucketCannedACL getContainerAccess(String container) {
        requireAdministrator("GetBucketAcl");
        return super.getContainerAccess(container);
    }

    @Override
    public GetBucketAclResponse getContainerAcl(GetBucketAclRequest request) {
        requireAdministrator("GetBucketAcl");
        return super.getContainerAcl(request);
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        requireAdministrator("PutBucketAcl");
        super.setContainerAccess(container, access);
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        requireAdministrator("DeleteObjects (clear bucket)");
        super.clearContainer(request);
    }

    @Override
    public void deleteContainer(String container) {
        requireAdministrator("DeleteBucket");
        super.deleteContainer(container);
    }

    @Override
    public void deleteBucket(String container) {
        requireAdministrator("DeleteBucket");
        super.deleteBucket(container);
    }

    @Override
    public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        requireAdministrator("PutBucketVersioning");
        return super.putBucketVersioning(request);
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        requireAdministrator("ListObjectVersions");
        return super.listVersions(request);
    }

    @Override
    public PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
        requireAdministrator("PutBucketEncryption");
        return super.putBucketEncryption(request);
    }

    @Override
    public DeleteBucketEncryptionResponse deleteBucketEncryption(DeleteBucketEncryptionRequest request) {
        requireAdministrator("DeleteBucketEncryption");
        return super.deleteBucketEncryption(request);
    }

    @Override
    public boolean blobExists(String container, String key) {
        requireRead(key);
        return super.blobExists(container, key);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        requireWrite(request.key());
        return super.putBlob(request, content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        requireRead(request.sourceKey());
        requireWrite(request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        requireRead(request.key());
        return super.blobMetadata(request);
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        requireRead(request.key());
        return super.getBlob(request);
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        requireCanonical(request.key());
        if (!policy.mayDelete(request.key())) {
            throw denied("DeleteObject", request.key());
        }
        return super.removeBlob(request);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key) {
        requireRead(key);
        return super.getBlobAccess(container, key);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key, String versionId) {
        requireRead(key);
        return super.getBlobAccess(container, key, versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        requireRead(request.key());
        return super.getBlobAcl(request);
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access) {
        requireAdministrator("PutObjectAcl");
        super.setBlobAccess(container, key, access);
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access, String versionId) {
        requireAdministrator("PutObjectAcl");
        super.setBlobAccess(container, key, access, versionId);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        requireWrite(request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        requireWrite(upload.blobName());
        super.abortMultipartUpload(upload);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        requireWrite(upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        requireWrite(upload.blobName());
        return super.uploadMultipartPart(upload, request, content);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        requireWrite(upload.blobName());
        return super.listMultipartUpload(upload);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        requireAdministrator("ListMultipartUploads");
        return super.listMultipartUploads(container);
    }

    /**
     * S3Proxy's filesystem store resolves {@code ..} and empty segments, so a key is checked for its canonical
     * form before any permission: the policy must judge the object that would be touched, not a spelling of it.
     */
    private static void requireCanonical(String key) {
        ObjectKeySyntax.keyProblem(key).ifPresent(reason -> {
            throw invalid(reason);
        });
    }

    private static void requireCanonicalPrefix(String prefix) {
        ObjectKeySyntax.prefixProblem(prefix).ifPresent(reason -> {
            throw invalid(reason);
        });
    }

    private static S3Exception invalid(String reason) {
        String message = "Refused: " + reason + " (keys are never normalised: no '.', '..' or empty segments,"
                + " encoded or not, no backslashes or control characters)";
        return (S3Exception) S3Exception.builder().statusCode(400).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("InvalidArgument").errorMessage(message).build())
                .build();
    }

    private void requireRead(String key) {
        requireCanonical(key);
        if (!policy.mayRead(key)) {
            throw denied("GetObject", key);
        }
    }

    private void requireWrite(String key) {
        requireCanonical(key);
        if (!policy.mayWrite(key)) {
            throw denied("PutObject", key);
        }
    }

    private void requireAdministrator(String action) {
        if (!policy.administers()) {
            throw denied(action, "the bucket");
        }
    }

    private S3Exception denied(String action, String resource) {
        String message = policy.principal() + " may not " + action + " on " + resource;
        return (S3Exception) S3Exception.builder().statusCode(403).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(message).build())
                .build();
    }
}
