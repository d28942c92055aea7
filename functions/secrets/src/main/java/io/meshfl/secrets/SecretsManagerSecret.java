package io.meshfl.secrets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * An AWS Secrets Manager secret named by {@code <arn>} or {@code <arn>#<field>}: its string, or one field of its JSON
 * (RDS keeps a managed master password as {@code {"username": …, "password": …}}). The region is the ARN's; the
 * credentials are the function's role (the default provider chain). {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} points
 * the client elsewhere, as the SDK documents.
 */
final class SecretsManagerSecret {

    private SecretsManagerSecret() {
    }

    static String read(String reference) {
        Reference ref = Reference.parse(reference);
        try (SecretsManagerClient client = SecretsManagerClient.builder()
                .region(Region.of(ref.region()))
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(DefaultCredentialsProvider.builder().build())
                .build()) {
            String secret = client.getSecretValue(b -> b.secretId(ref.arn())).secretString();
            if (secret == null) {
                throw new IllegalArgumentException("Secret " + ref.arn() + " has no string value");
            }
            return ref.field() == null ? secret.strip() : field(secret, ref);
        }
    }

    static String field(String secret, Reference ref) {
        try {
            JsonNode value = new ObjectMapper().readTree(secret).get(ref.field());
            if (value == null || !value.isValueNode()) {
                throw new IllegalArgumentException("Secret " + ref.arn() + " has no field '" + ref.field() + "'");
            }
            return value.asText();
        } catch (JsonProcessingException e) {
            // The message would quote the secret: name only where it is.
            throw new IllegalArgumentException("Secret " + ref.arn() + " is not JSON, so it has no field '"
                    + ref.field() + "'");
        }
    }

    /** {@code arn:aws:secretsmanager:<region>:<account>:secret:<name>[#<field>]}. */
    record Reference(String arn, String region, String field) {

        static Reference parse(String reference) {
            int hash = reference.indexOf('#');
            String arn = hash < 0 ? reference : reference.substring(0, hash);
            String field = hash < 0 ? null : reference.substring(hash + 1);
            String[] parts = arn.split(":", 7);
            if (parts.length < 7 || !parts[0].equals("arn") || !parts[2].equals("secretsmanager")
                    || parts[3].isEmpty() || !parts[5].equals("secret") || field != null && field.isEmpty()) {
                throw new IllegalArgumentException("'" + reference + "' is not a Secrets Manager secret ARN "
                        + "(arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally #<json field>)");
            }
            return new Reference(arn, parts[3], field);
        }
    }
}
