package io.meshfl.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshfl.secrets.SecretsManagerSecret.Reference;
import org.junit.jupiter.api.Test;

class SecretsManagerSecretTest {

    @Test
    void theRegionComesFromTheArnAndTheFieldFromAfterTheHash() {
        Reference ref = Reference.parse("arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:rds!cluster-1a-AbCd#password");

        assertThat(ref.arn()).isEqualTo("arn:aws:secretsmanager:ap-southeast-2:123456789012:secret:rds!cluster-1a-AbCd");
        assertThat(ref.region()).isEqualTo("ap-southeast-2");
        assertThat(ref.field()).isEqualTo("password");
    }

    @Test
    void somethingElseThanASecretArnIsRefused() {
        assertThatThrownBy(() -> Reference.parse("arn:aws:ssm:eu-west-1:1:parameter/x"))
                .hasMessageContaining("is not a Secrets Manager secret ARN");
        assertThatThrownBy(() -> Reference.parse("arn:aws:secretsmanager:eu-west-1:1:secret:x#"))
                .hasMessageContaining("is not a Secrets Manager secret ARN");
    }

    @Test
    void aFieldOfAJsonSecretIsItsValue() {
        Reference ref = Reference.parse("arn:aws:secretsmanager:eu-west-1:1:secret:db#password");

        assertThat(SecretsManagerSecret.field("{\"username\":\"meshfl\",\"password\":\"s3cr3t\"}", ref))
                .isEqualTo("s3cr3t");
    }

    @Test
    void aMissingFieldOrANonJsonSecretIsNamedWithoutQuotingTheSecret() {
        Reference ref = Reference.parse("arn:aws:secretsmanager:eu-west-1:1:secret:db#password");

        assertThatThrownBy(() -> SecretsManagerSecret.field("{\"username\":\"meshfl\"}", ref))
                .hasMessageContaining("has no field 'password'");
        assertThatThrownBy(() -> SecretsManagerSecret.field("not json s3cr3t", ref))
                .hasMessageContaining("is not JSON")
                .hasMessageNotContaining("s3cr3t");
    }
}
