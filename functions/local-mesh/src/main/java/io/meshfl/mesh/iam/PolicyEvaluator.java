package io.meshfl.mesh.iam;

import java.util.List;
import java.util.Optional;

/**
 * IAM's evaluation for a principal and a bucket of the same account: an explicit Deny in any document wins;
 * otherwise an Allow in the principal's identity policies or in the bucket policy (for that principal) allows;
 * otherwise the request is implicitly denied. SCPs, permission boundaries, session policies and ACLs are not
 * modelled (the federation uses none).
 */
public final class PolicyEvaluator {

    private PolicyEvaluator() {
    }

    public static AccessDecision evaluate(AccessRequest request, List<IamPolicy> identityPolicies,
                                          Optional<IamPolicy> bucketPolicy) {
        List<IamPolicy> all = bucketPolicy.map(bucket -> concat(identityPolicies, bucket)).orElse(identityPolicies);
        for (IamPolicy policy : all) {
            for (PolicyStatement statement : policy.statements()) {
                if (!statement.allow() && statement.applies(request)) {
                    return new AccessDecision(false, "explicitly denied by " + statement.describe() + " of "
                            + policy.name());
                }
            }
        }
        for (IamPolicy policy : all) {
            for (PolicyStatement statement : policy.statements()) {
                if (statement.allow() && statement.applies(request)) {
                    return new AccessDecision(true, "allowed by " + statement.describe() + " of " + policy.name());
                }
            }
        }
        return new AccessDecision(false, "no statement of " + String.join(", ", all.stream().map(IamPolicy::name).toList())
                + " allows it");
    }

    private static List<IamPolicy> concat(List<IamPolicy> identity, IamPolicy bucket) {
        return java.util.stream.Stream.concat(identity.stream(), java.util.stream.Stream.of(bucket)).toList();
    }
}
