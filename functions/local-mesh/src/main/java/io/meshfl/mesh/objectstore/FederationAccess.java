package io.meshfl.mesh.objectstore;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.mesh.iam.IamPolicy;
import io.meshfl.mesh.iam.RenderedPolicies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The identities of the local S3 server and the IAM documents each is judged by, for one federation bucket and its
 * domains: the aggregation function and each domain's training function get the identity policies the Terraform
 * {@code policies} module renders for their roles, everyone is subject to the module's bucket policy, and the
 * governance (the demo itself, the account's administrator) has {@code s3:*} like an administrator's role, still
 * under the bucket policy. Principal ARNs are those {@code infra/terraform/render-policies.sh} renders with.
 */
public final class FederationAccess {

    public static final String ACCOUNT = "000000000000";
    public static final String GOVERNANCE_ARN = "arn:aws:iam::" + ACCOUNT + ":user/meshfl-governance";
    public static final String AGGREGATION_ARN = "arn:aws:iam::" + ACCOUNT + ":role/meshfl-aggregation";
    private static final String ADMINISTRATOR_POLICY = """
            {"Version": "2012-10-17", "Statement": [{"Sid": "AccountAdministrator", "Effect": "Allow",
             "Action": "s3:*", "Resource": "*"}]}""";

    private final RenderedPolicies documents;
    private final String bucket;
    private final Optional<IamPolicy> bucketPolicy;
    /** The vertical model the vertical documents are filled in for, or null (a horizontal installation). */
    private final String verticalModel;

    public FederationAccess(RenderedPolicies documents, String bucket, Collection<String> domains) {
        this(documents, bucket, documents.bucketPolicy(bucket, List.copyOf(domains)), null);
    }

    private FederationAccess(RenderedPolicies documents, String bucket, Optional<IamPolicy> bucketPolicy,
                             String verticalModel) {
        this.documents = documents;
        this.bucket = bucket;
        this.bucketPolicy = bucketPolicy;
        this.verticalModel = verticalModel;
    }

    /** The documents the Terraform module renders, as shipped with the local mesh. */
    public static FederationAccess rendered(String bucket, Collection<String> domains) {
        return new FederationAccess(RenderedPolicies.shipped(), bucket, domains);
    }

    /**
     * An installation with one vertical model, {@code model}, whose labels are shared: every domain is a party of it,
     * the governance-side head heads it, and the bucket policy is the one the module renders for that
     * ({@code vertical_bucket_policy}: its Denies hold for the governance's administrator too).
     */
    public static FederationAccess renderedVertical(String bucket, Collection<String> domains, String model) {
        RenderedPolicies documents = RenderedPolicies.shipped();
        return new FederationAccess(documents, bucket,
                documents.verticalBucketPolicy(bucket, List.copyOf(domains), model), model);
    }

    /** Where the documents came from (the shipped render of the Terraform module, or a file). */
    public String source() {
        return documents.source();
    }

    /** The governance-side vertical head's role, as {@code render-policies.sh} renders {@code vertical_head_policy}. */
    public static final String VERTICAL_HEAD_ARN = "arn:aws:iam::" + ACCOUNT + ":role/meshfl-vertical-head";

    public static String trainingRoleArn(String domain) {
        return "arn:aws:iam::" + ACCOUNT + ":role/meshfl-training-" + domain;
    }

    public AccessPolicy governance() {
        try {
            IamPolicy administrator = IamPolicy.parse("the governance's administrator policy (local mesh)",
                    new ObjectMapper().readTree(ADMINISTRATOR_POLICY), false);
            return new AccessPolicy("governance", GOVERNANCE_ARN, List.of(administrator), bucketPolicy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AccessPolicy aggregation() {
        return new AccessPolicy("aggregation", AGGREGATION_ARN,
                List.of(documents.identityPolicy("aggregation", bucket, null)), bucketPolicy);
    }

    public AccessPolicy domain(String domain) {
        return new AccessPolicy(domain, trainingRoleArn(domain), List.of(documents.identityPolicy("domain", bucket, domain)),
                bucketPolicy);
    }

    /** A party of the installation's vertical model ({@link #renderedVertical}): the module's domain document with {@code vertical}. */
    public AccessPolicy verticalDomain(String domain) {
        return new AccessPolicy(domain, trainingRoleArn(domain),
                List.of(documents.identityPolicy("vertical-domain", bucket, domain, verticalModel)), bucketPolicy);
    }

    /** The governance-side head of the installation's vertical model ({@code vertical_head_policy}). */
    public AccessPolicy verticalHead() {
        return new AccessPolicy("vertical-head", VERTICAL_HEAD_ARN,
                List.of(documents.identityPolicy("vertical-head", bucket, null, verticalModel)), bucketPolicy);
    }

    /** Requests without a signature: no identity policy, so only a bucket policy could allow them (none does). */
    public AccessPolicy anonymous() {
        return new AccessPolicy("anonymous", "*", List.of(), bucketPolicy);
    }
}
