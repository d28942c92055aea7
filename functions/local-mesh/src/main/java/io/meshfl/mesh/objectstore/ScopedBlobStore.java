package io.meshfl.mesh.objectstore;

import io.meshfl.core.objectstore.ObjectKeySyntax;
import io.meshfl.mesh.iam.AccessDecision;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
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
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionRequest;
import software.amazon.awssdk.services.s3.model.GetBucketEncryptionResponse;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningRequest;
import software.amazon.awssdk.services.s3.model.GetBucketVersioningResponse;
import software.amazon.awssdk.services.s3.model.GetObjectAclRequest;
import software.amazon.awssdk.services.s3.model.GetObjectAclResponse;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketResponse;
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
 * The blob store as one identity sees it: every operation is first checked for a canonical key, then judged by IAM's
 * evaluation of that identity's documents ({@link AccessPolicy}) with the action S3 would authorise it as, and
 * refused with S3's {@code 403 AccessDenied} otherwise (naming the principal, the action, the resource and why), before
 * it reaches the store. As in S3, a GET or HEAD of a missing key answers 404 only to a principal that may list the
 * bucket, and 403 to anyone else. Each operation S3Proxy can forward is listed here, so a new one is refused until
 * someone decides which permission it needs.
 */
final class ScopedBlobStore extends ForwardingBlobStore {

    private static final Logger LOG = LoggerFactory.getLogger(ScopedBlobStore.class);
    /** S3's bucket naming rules; anything else (a '..' container) never reaches the filesystem store. */
    private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private final AccessPolicy policy;
    private final AccessDeniedListener denials;
    private final boolean audit;

    /**
     * @param audit only record and log what the policies deny, and let it through: shows every call a policy
     *              forbids in one run, instead of the first one only
     */
    ScopedBlobStore(BlobStore delegate, AccessPolicy policy, AccessDeniedListener denials, boolean audit) {
        super(delegate);
        this.policy = policy;
        this.denials = denials;
        this.audit = audit;
    }

    @Override
    public ListBucketsResponse list() {
        authorize("s3:ListAllMyBuckets", "arn:aws:s3:::*", Map.of());
        return super.list();
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        requireCanonicalPrefix(request.prefix());
        // s3:prefix is in the request context only when the request names a prefix, as in S3.
        authorize("s3:ListBucket", bucketArn(request.bucket()),
                request.prefix() == null ? Map.of() : Map.of("s3:prefix", request.prefix()));
        return super.list(request);
    }

    @Override
    public HeadBucketResponse headBucket(HeadBucketRequest request) {
        authorize("s3:ListBucket", bucketArn(request.bucket()), Map.of());
        return super.headBucket(request);
    }

    @Override
    public CreateBucketResponse createContainer(CreateBucketRequest request) {
        authorize("s3:CreateBucket", bucketArn(request.bucket()), Map.of());
        return super.createContainer(request);
    }

    @Override
    public BucketCannedACL getContainerAccess(String container) {
        authorize("s3:GetBucketAcl", bucketArn(container), Map.of());
        return super.getContainerAccess(container);
    }

    @Override
    public GetBucketAclResponse getContainerAcl(GetBucketAclRequest request) {
        authorize("s3:GetBucketAcl", bucketArn(request.bucket()), Map.of());
        return super.getContainerAcl(request);
    }

    @Override
    public void setContainerAccess(String container, BucketCannedACL access) {
        authorize("s3:PutBucketAcl", bucketArn(container), Map.of());
        super.setContainerAccess(container, access);
    }

    @Override
    public void clearContainer(ListObjectsV2Request request) {
        authorize("s3:DeleteBucket", bucketArn(request.bucket()), Map.of());
        super.clearContainer(request);
    }

    @Override
    public void deleteContainer(String container) {
        authorize("s3:DeleteBucket", bucketArn(container), Map.of());
        super.deleteContainer(container);
    }

    @Override
    public void deleteBucket(String container) {
        authorize("s3:DeleteBucket", bucketArn(container), Map.of());
        super.deleteBucket(container);
    }

    @Override
    public GetBucketVersioningResponse getBucketVersioning(GetBucketVersioningRequest request) {
        authorize("s3:GetBucketVersioning", bucketArn(request.bucket()), Map.of());
        return super.getBucketVersioning(request);
    }

    @Override
    public PutBucketVersioningResponse putBucketVersioning(PutBucketVersioningRequest request) {
        authorize("s3:PutBucketVersioning", bucketArn(request.bucket()), Map.of());
        return super.putBucketVersioning(request);
    }

    @Override
    public ListObjectVersionsResponse listVersions(ListObjectVersionsRequest request) {
        requireCanonicalPrefix(request.prefix());
        authorize("s3:ListBucketVersions", bucketArn(request.bucket()),
                request.prefix() == null ? Map.of() : Map.of("s3:prefix", request.prefix()));
        return super.listVersions(request);
    }

    @Override
    public GetBucketEncryptionResponse getBucketEncryption(GetBucketEncryptionRequest request) {
        authorize("s3:GetEncryptionConfiguration", bucketArn(request.bucket()), Map.of());
        return super.getBucketEncryption(request);
    }

    @Override
    public PutBucketEncryptionResponse putBucketEncryption(PutBucketEncryptionRequest request) {
        authorize("s3:PutEncryptionConfiguration", bucketArn(request.bucket()), Map.of());
        return super.putBucketEncryption(request);
    }

    @Override
    public DeleteBucketEncryptionResponse deleteBucketEncryption(DeleteBucketEncryptionRequest request) {
        authorize("s3:PutEncryptionConfiguration", bucketArn(request.bucket()), Map.of());
        return super.deleteBucketEncryption(request);
    }

    @Override
    public boolean blobExists(String container, String key) {
        authorizeObject("s3:GetObject", container, key);
        return super.blobExists(container, key);
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        authorizeObject("s3:PutObject", request.bucket(), request.key());
        return super.putBlob(request, content);
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        authorizeObject("s3:GetObject", request.sourceBucket(), request.sourceKey());
        authorizeObject("s3:PutObject", request.destinationBucket(), request.destinationKey());
        return super.copyBlob(request);
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        authorizeObject("s3:GetObject", request.bucket(), request.key());
        try {
            HeadObjectResponse metadata = super.blobMetadata(request);
            if (metadata == null) {
                requireListForMissingKey(request.bucket(), request.key());
            }
            return metadata;
        } catch (AwsServiceException missing) {
            if (missing.statusCode() == 404) {
                requireListForMissingKey(request.bucket(), request.key());
            }
            throw missing;
        }
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        authorizeObject("s3:GetObject", request.bucket(), request.key());
        try {
            ResponseInputStream<GetObjectResponse> blob = super.getBlob(request);
            if (blob == null) {
                requireListForMissingKey(request.bucket(), request.key());
            }
            return blob;
        } catch (AwsServiceException missing) {
            if (missing.statusCode() == 404) {
                requireListForMissingKey(request.bucket(), request.key());
            }
            throw missing;
        }
    }

    @Override
    public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
        authorizeObject("s3:DeleteObject", request.bucket(), request.key());
        return super.removeBlob(request);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key) {
        authorizeObject("s3:GetObjectAcl", container, key);
        return super.getBlobAccess(container, key);
    }

    @Override
    public ObjectCannedACL getBlobAccess(String container, String key, String versionId) {
        authorizeObject("s3:GetObjectAcl", container, key);
        return super.getBlobAccess(container, key, versionId);
    }

    @Override
    public GetObjectAclResponse getBlobAcl(GetObjectAclRequest request) {
        authorizeObject("s3:GetObjectAcl", request.bucket(), request.key());
        return super.getBlobAcl(request);
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access) {
        authorizeObject("s3:PutObjectAcl", container, key);
        super.setBlobAccess(container, key, access);
    }

    @Override
    public void setBlobAccess(String container, String key, ObjectCannedACL access, String versionId) {
        authorizeObject("s3:PutObjectAcl", container, key);
        super.setBlobAccess(container, key, access, versionId);
    }

    @Override
    public MultipartUpload initiateMultipartUpload(CreateMultipartUploadRequest request) {
        authorizeObject("s3:PutObject", request.bucket(), request.key());
        return super.initiateMultipartUpload(request);
    }

    @Override
    public void abortMultipartUpload(MultipartUpload upload) {
        authorizeObject("s3:AbortMultipartUpload", upload.containerName(), upload.blobName());
        super.abortMultipartUpload(upload);
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        authorizeObject("s3:PutObject", upload.containerName(), upload.blobName());
        return super.completeMultipartUpload(upload, request);
    }

    @Override
    public UploadPartResponse uploadMultipartPart(MultipartUpload upload, UploadPartRequest request, InputStream content) {
        authorizeObject("s3:PutObject", upload.containerName(), upload.blobName());
        return super.uploadMultipartPart(upload, request, content);
    }

    @Override
    public List<Part> listMultipartUpload(MultipartUpload upload) {
        authorizeObject("s3:ListMultipartUploadParts", upload.containerName(), upload.blobName());
        return super.listMultipartUpload(upload);
    }

    @Override
    public List<software.amazon.awssdk.services.s3.model.MultipartUpload> listMultipartUploads(String container) {
        authorize("s3:ListBucketMultipartUploads", bucketArn(container), Map.of());
        return super.listMultipartUploads(container);
    }

    /**
     * S3 tells a caller that a key does not exist only if it may list the bucket; anyone else learns nothing and gets
     * 403. A GET or HEAD names no prefix, so {@code s3:prefix} is absent from this check's context.
     */
    private void requireListForMissingKey(String bucket, String key) {
        AccessDecision list = policy.decide("s3:ListBucket", bucketArn(bucket), Map.of());
        if (!list.allowed()) {
            deny("s3:GetObject", objectArn(bucket, key), "the key does not exist and s3:ListBucket on "
                    + bucketArn(bucket) + " is not allowed (" + list.reason() + "), so S3 answers 403, not 404");
        }
    }

    private void authorizeObject(String action, String bucket, String key) {
        requireCanonical(key);
        authorize(action, objectArn(bucket, key), Map.of());
    }

    private void authorize(String action, String resourceArn, Map<String, String> context) {
        AccessDecision decision = policy.decide(action, resourceArn, context);
        if (!decision.allowed()) {
            deny(action, resourceArn, decision.reason());
        }
    }

    private static String bucketArn(String bucket) {
        if (bucket == null || !BUCKET_NAME.matcher(bucket).matches() || bucket.contains("..")) {
            throw invalid("bucket name '" + bucket + "' is not a valid S3 bucket name");
        }
        return "arn:aws:s3:::" + bucket;
    }

    private static String objectArn(String bucket, String key) {
        return bucketArn(bucket) + "/" + key;
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

    private void deny(String action, String resourceArn, String reason) {
        String message = policy.principal() + " (" + policy.principalArn() + ") may not " + action + " on " + resourceArn
                + ": " + reason;
        denials.denied(new AccessDenied(policy.principal(), action, resourceArn, reason));
        if (audit) {
            LOG.warn("AccessDenied (audit only, let through): {}", message);
            return;
        }
        LOG.warn("AccessDenied: {}", message);
        throw (S3Exception) S3Exception.builder().statusCode(403).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDenied").errorMessage(message).build())
                .build();
    }
}
