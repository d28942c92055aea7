package io.meshfl.mesh.objectstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.mesh.iam.RenderedPolicies;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The local S3 server enforces whatever IAM documents it is given, with S3's semantics, over real S3 requests. */
class LocalObjectStorePolicyTest {

    private static final String GLOBAL = "models/m/global/1.safetensors";

    @TempDir
    Path dir;

    @Test
    void aDeliberatelyBrokenPolicyRefusesTheCallNamingThePrincipalTheActionAndTheKey() throws IOException {
        // The module's render with the domain's ReadGlobalModels turned into a Deny (which beats the bucket policy's
        // Allow): the domain can no longer read the global model it trains from.
        String broken = shipped().replace("\"Effect\":\"Allow\",\"Resource\":[\"arn:aws:s3:::${federation_bucket}/models/*/global/*\"],\"Sid\":\"ReadGlobalModels\"",
                "\"Effect\":\"Deny\",\"Resource\":[\"arn:aws:s3:::${federation_bucket}/models/*/global/*\"],\"Sid\":\"ReadGlobalModels\"");
        assertThat(broken).isNotEqualTo(shipped());
        Path file = Files.writeString(dir.resolve("broken.json"), broken);
        FederationAccess access = new FederationAccess(RenderedPolicies.fromFile(file), "meshfl", List.of("domain-1"));
        S3Principal governance = new S3Principal("gov", "gov-secret", access.governance());
        S3Principal domain = new S3Principal("d1", "d1-secret", access.domain("domain-1"));

        try (LocalObjectStoreServer server = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0,
                List.of(governance, domain), event -> { })) {
            try (S3ObjectStore operator = as(server, governance); S3ObjectStore trainer = as(server, domain)) {
                operator.put(GLOBAL, bytes("global"), Map.of());

                assertThatThrownBy(() -> trainer.read(GLOBAL)).isInstanceOf(S3Exception.class).satisfies(e -> {
                    S3Exception s3 = (S3Exception) e;
                    assertThat(s3.statusCode()).isEqualTo(403);
                    assertThat(s3.awsErrorDetails().errorCode()).isEqualTo("AccessDenied");
                    assertThat(s3.awsErrorDetails().errorMessage()).contains("domain-1", "s3:GetObject",
                            "arn:aws:s3:::meshfl/" + GLOBAL, "explicitly denied by statement ReadGlobalModels");
                });
            }
            assertThat(server.denials()).containsExactly(new AccessDenied("domain-1", "s3:GetObject",
                    "arn:aws:s3:::meshfl/" + GLOBAL, "explicitly denied by statement ReadGlobalModels of the domain"
                            + " identity policy of domain-1 (" + file + ")"));
        }
    }

    @Test
    void aMissingKeyAnswers404OnlyToAPrincipalThatMayListTheBucketAnd403ToAnyoneElse() throws IOException {
        Path file = Files.writeString(dir.resolve("policies.json"), """
                {"bucket_policy": null, "identity_policies": {
                  "domain": {"Statement": [{"Sid": "ReadOwnUpdates", "Effect": "Allow", "Action": ["s3:GetObject"],
                    "Resource": ["arn:aws:s3:::${federation_bucket}/models/*/rounds/*/updates/${domain}.safetensors"]}]},
                  "aggregation": {"Statement": [
                    {"Sid": "ReadModels", "Effect": "Allow", "Action": ["s3:GetObject"],
                     "Resource": ["arn:aws:s3:::${federation_bucket}/models/*"]},
                    {"Sid": "ListModels", "Effect": "Allow", "Action": ["s3:ListBucket"],
                     "Resource": ["arn:aws:s3:::${federation_bucket}"],
                     "Condition": {"StringLikeIfExists": {"s3:prefix": ["models/*"]}}}]}}}""");
        FederationAccess access = new FederationAccess(RenderedPolicies.fromFile(file), "meshfl", List.of("domain-1"));
        S3Principal governance = new S3Principal("gov", "gov-secret", access.governance());
        S3Principal aggregation = new S3Principal("agg", "agg-secret", access.aggregation());
        S3Principal domain = new S3Principal("d1", "d1-secret", access.domain("domain-1"));
        String missingUpdate = "models/m/rounds/1/updates/domain-1.safetensors";

        try (LocalObjectStoreServer server = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0,
                List.of(governance, aggregation, domain), event -> { });
             S3ObjectStore operator = as(server, governance); S3ObjectStore aggregator = as(server, aggregation);
             S3ObjectStore trainer = as(server, domain)) {
            assertThat(operator.head(missingUpdate)).isEmpty();
            // A HEAD carries no s3:prefix: StringLikeIfExists lets the aggregator's ListBucket apply, so 404.
            assertThat(aggregator.head("models/m/global/2.safetensors")).isEmpty();
            assertThatThrownBy(() -> trainer.head(missingUpdate)).isInstanceOf(S3Exception.class).satisfies(e -> {
                S3Exception s3 = (S3Exception) e;
                assertThat(s3.statusCode()).isEqualTo(403);
            });
            assertThat(server.denials()).singleElement().satisfies(denial -> {
                assertThat(denial.principal()).isEqualTo("domain-1");
                assertThat(denial.resourceArn()).isEqualTo("arn:aws:s3:::meshfl/" + missingUpdate);
                assertThat(denial.reason()).contains("s3:ListBucket", "403, not 404");
            });
        }
    }

    @Test
    void inAuditModeADeniedCallIsRecordedAndServed() {
        FederationAccess access = FederationAccess.rendered("meshfl", List.of("domain-1", "domain-2"));
        S3Principal governance = new S3Principal("gov", "gov-secret", access.governance());
        S3Principal domain = new S3Principal("d1", "d1-secret", access.domain("domain-1"));
        String otherUpdate = "models/m/rounds/1/updates/domain-2.safetensors";

        try (LocalObjectStoreServer server = LocalObjectStoreServer.start(dir.resolve("objects"), "meshfl", 0,
                List.of(governance, domain), event -> { }, true);
             S3ObjectStore operator = as(server, governance); S3ObjectStore trainer = as(server, domain)) {
            trainer.put(otherUpdate, bytes("planted"), Map.of());

            assertThat(operator.head(otherUpdate)).isPresent();
            assertThat(server.denials()).extracting(AccessDenied::principal, AccessDenied::action, AccessDenied::resourceArn)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("domain-1", "s3:PutObject",
                            "arn:aws:s3:::meshfl/" + otherUpdate));
        }
    }

    private static String shipped() throws IOException {
        try (InputStream in = RenderedPolicies.class.getResourceAsStream(RenderedPolicies.RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static S3ObjectStore as(LocalObjectStoreServer server, S3Principal principal) {
        return S3ObjectStore.connect(new S3Settings("meshfl", server.region(), Optional.of(server.endpoint()), true,
                Optional.of(principal.accessKey()), Optional.of(principal.secretKey())));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
