package io.meshfl.mesh.objectstore;

import io.meshfl.mesh.iam.AccessDecision;
import io.meshfl.mesh.iam.AccessRequest;
import io.meshfl.mesh.iam.IamPolicy;
import io.meshfl.mesh.iam.PolicyEvaluator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one identity of the local S3 server may do: its ARN, its identity policies and the bucket policy, judged
 * with IAM's evaluation ({@link PolicyEvaluator}). The documents come from {@link FederationAccess}: the ones the
 * Terraform {@code policies} module renders, not a hand-written mirror.
 */
public record AccessPolicy(String principal, String principalArn, List<IamPolicy> identityPolicies,
                           Optional<IamPolicy> bucketPolicy) {

    public AccessPolicy {
        identityPolicies = List.copyOf(identityPolicies);
    }

    /**
     * IAM's decision on {@code action} over {@code resourceArn}; {@code requestContext} adds request keys such as
     * {@code s3:prefix}. Every request counts as TLS: the local S3 server listens on loopback only, where the
     * bucket policy's {@code aws:SecureTransport} rule (no plain HTTP across a network) has nothing to protect.
     */
    public AccessDecision decide(String action, String resourceArn, Map<String, String> requestContext) {
        Map<String, String> context = new HashMap<>(requestContext);
        context.put("aws:PrincipalArn", principalArn);
        context.put("aws:SecureTransport", "true");
        return PolicyEvaluator.evaluate(new AccessRequest(principalArn, action, resourceArn, context), identityPolicies,
                bucketPolicy);
    }
}
