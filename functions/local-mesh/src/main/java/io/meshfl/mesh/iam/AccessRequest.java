package io.meshfl.mesh.iam;

import java.util.Map;

/**
 * What IAM evaluates: who asks ({@code aws:PrincipalArn}), for which action on which resource ARN, with the
 * request's context keys ({@code aws:SecureTransport}, and {@code s3:prefix} on a ListBucket that names one).
 */
public record AccessRequest(String principalArn, String action, String resourceArn, Map<String, String> context) {

    public AccessRequest {
        context = Map.copyOf(context);
    }
}
