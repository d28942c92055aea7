package io.meshfl.mesh.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** IAM's evaluation rules, on small hand-written documents a reader can check with a pencil. */
class PolicyEvaluatorTest {

    private static final String ROLE = "arn:aws:iam::000000000000:role/trainer";
    private static final String OTHER = "arn:aws:iam::000000000000:role/other";
    private static final String BUCKET = "arn:aws:s3:::fed";

    @Test
    void anExplicitDenyWinsOverAnyAllowAndNothingAllowedIsDenied() {
        IamPolicy identity = identity("""
                {"Statement": [
                  {"Sid": "ReadAll", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fed/*"},
                  {"Sid": "NotSecrets", "Effect": "Deny", "Action": "s3:*", "Resource": "arn:aws:s3:::fed/secrets/*"}]}""");

        assertThat(decide("s3:GetObject", BUCKET + "/models/a", Map.of(), identity).allowed()).isTrue();
        AccessDecision denied = decide("s3:GetObject", BUCKET + "/secrets/k", Map.of(), identity);
        assertThat(denied.allowed()).isFalse();
        assertThat(denied.reason()).contains("explicitly denied by statement NotSecrets");
        AccessDecision implicit = decide("s3:PutObject", BUCKET + "/models/a", Map.of(), identity);
        assertThat(implicit.allowed()).isFalse();
        assertThat(implicit.reason()).contains("no statement").contains("allows it");
    }

    @Test
    void wildcardsStarSpansSlashesQuestionMarkIsOneCharacterAndActionsIgnoreCase() {
        IamPolicy identity = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:get*",
                  "Resource": "arn:aws:s3:::fed/models/*/rounds/?/updates/d1.safetensors"}]}""");

        assertThat(decide("s3:GetObject", BUCKET + "/models/m/x/rounds/1/updates/d1.safetensors", Map.of(), identity)
                .allowed()).isTrue();
        assertThat(decide("s3:GetObject", BUCKET + "/models/m/rounds/12/updates/d1.safetensors", Map.of(), identity)
                .allowed()).isFalse();
        assertThat(decide("s3:GetObject", BUCKET + "/models/m/rounds/1/updates/D1.safetensors", Map.of(), identity)
                .allowed()).isFalse();
    }

    @Test
    void notResourceAndNotActionApplyToEverythingOutsideTheirList() {
        IamPolicy identity = identity("""
                {"Statement": [
                  {"Effect": "Allow", "NotAction": "s3:DeleteObject", "Resource": "*"},
                  {"Sid": "WriteNothingElse", "Effect": "Deny", "Action": "s3:PutObject",
                   "NotResource": "arn:aws:s3:::fed/updates/d1"}]}""");

        assertThat(decide("s3:PutObject", BUCKET + "/updates/d1", Map.of(), identity).allowed()).isTrue();
        assertThat(decide("s3:PutObject", BUCKET + "/updates/d2", Map.of(), identity).reason())
                .contains("WriteNothingElse");
        assertThat(decide("s3:DeleteObject", BUCKET + "/updates/d1", Map.of(), identity).allowed()).isFalse();
    }

    @Test
    void aMissingConditionKeyFailsStringLikeButPassesStringLikeIfExistsAndNegatedOperators() {
        IamPolicy plain = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::fed",
                  "Condition": {"StringLike": {"s3:prefix": ["models/*"]}}}]}""");
        IamPolicy ifExists = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::fed",
                  "Condition": {"StringLikeIfExists": {"s3:prefix": ["models/*"]}}}]}""");
        IamPolicy negated = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::fed",
                  "Condition": {"StringNotEquals": {"s3:prefix": "domains/"}}}]}""");

        // A list naming a prefix carries s3:prefix; a HEAD or GET (and a list without prefix) does not.
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "models/m/"), plain).allowed()).isTrue();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "domains/"), plain).allowed()).isFalse();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of(), plain).allowed()).isFalse();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of(), ifExists).allowed()).isTrue();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "domains/"), ifExists).allowed()).isFalse();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of(), negated).allowed()).isTrue();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "domains/"), negated).allowed()).isFalse();
    }

    @Test
    void stringEqualsIsExactAndSeveralValuesOfOneKeyAreAlternatives() {
        IamPolicy identity = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::fed",
                  "Condition": {"StringEquals": {"s3:prefix": ["", "models/"]}}}]}""");

        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "models/"), identity).allowed()).isTrue();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", ""), identity).allowed()).isTrue();
        assertThat(decide("s3:ListBucket", BUCKET, Map.of("s3:prefix", "models/m/"), identity).allowed()).isFalse();
    }

    @Test
    void aBucketPolicyAllowsOnlyThePrincipalsItNamesAndItsDenyBindsEveryone() throws IOException {
        IamPolicy bucket = IamPolicy.parse("bucket", json("""
                {"Statement": [
                  {"Sid": "Trainer", "Effect": "Allow", "Principal": {"AWS": ["arn:aws:iam::000000000000:role/trainer"]},
                   "Action": "s3:GetObject", "Resource": "arn:aws:s3:::fed/global/*"},
                  {"Sid": "OnlyTrainerWrites", "Effect": "Deny", "Principal": "*", "Action": "s3:PutObject",
                   "Resource": "arn:aws:s3:::fed/updates/*",
                   "Condition": {"ArnNotEquals": {"aws:PrincipalArn": "arn:aws:iam::000000000000:role/trainer"}}}]}"""),
                true);
        IamPolicy writeUpdates = identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::fed/updates/*"}]}""");

        assertThat(evaluate(ROLE, "s3:GetObject", BUCKET + "/global/1", List.of(), bucket).allowed()).isTrue();
        assertThat(evaluate(OTHER, "s3:GetObject", BUCKET + "/global/1", List.of(), bucket).allowed()).isFalse();
        assertThat(evaluate(ROLE, "s3:PutObject", BUCKET + "/updates/x", List.of(writeUpdates), bucket).allowed()).isTrue();
        assertThat(evaluate(OTHER, "s3:PutObject", BUCKET + "/updates/x", List.of(writeUpdates), bucket).reason())
                .contains("OnlyTrainerWrites");
    }

    @Test
    void whatTheEvaluatorDoesNotImplementIsRefusedAtLoadInsteadOfIgnored() {
        assertThatThrownBy(() -> identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                  "Condition": {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}}]}"""))
                .hasMessageContaining("IpAddress is not implemented");
        assertThatThrownBy(() -> identity("""
                {"Statement": [{"Effect": "Deny", "NotPrincipal": {"AWS": "x"}, "Action": "s3:*", "Resource": "*"}]}"""))
                .hasMessageContaining("NotPrincipal");
        assertThatThrownBy(() -> identity("""
                {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${bucket}/*"}]}"""))
                .hasMessageContaining("placeholder");
    }

    private static AccessDecision decide(String action, String resource, Map<String, String> context, IamPolicy identity) {
        Map<String, String> withPrincipal = new java.util.HashMap<>(context);
        withPrincipal.put("aws:PrincipalArn", ROLE);
        return PolicyEvaluator.evaluate(new AccessRequest(ROLE, action, resource, withPrincipal), List.of(identity),
                Optional.empty());
    }

    private static AccessDecision evaluate(String principal, String action, String resource, List<IamPolicy> identity,
                                           IamPolicy bucket) {
        return PolicyEvaluator.evaluate(new AccessRequest(principal, action, resource, Map.of("aws:PrincipalArn", principal)),
                identity, Optional.ofNullable(bucket));
    }

    private static IamPolicy identity(String document) {
        try {
            return IamPolicy.parse("identity", json(document), false);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String document) throws IOException {
        return new ObjectMapper().readTree(document);
    }
}
