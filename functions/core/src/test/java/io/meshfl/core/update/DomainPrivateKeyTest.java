package io.meshfl.core.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DomainPrivateKeyTest {

    // Written by `openssl genpkey -algorithm ed25519`; its public key from `openssl pkey -pubout -outform DER | base64`.
    // A test key, used nowhere else.
    private static final String OPENSSL_PEM = """
            -----BEGIN PRIVATE KEY-----
            MC4CAQAwBQYDK2VwBCIEILFWJ5o+ZFzgC4MDIXzrtaxL2IxB4bEyihRAmZdIS8Yg
            -----END PRIVATE KEY-----
            """;
    private static final String DER_BASE64 = "MC4CAQAwBQYDK2VwBCIEILFWJ5o+ZFzgC4MDIXzrtaxL2IxB4bEyihRAmZdIS8Yg";
    private static final String PUBLIC_X509_BASE64 = "MCowBQYDK2VwAyEAoWJG0Afmu2+oxetRxXLSYBjc7uupkByFWBy/LVYkdTs=";
    private static final String SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @Test
    void aPemKeyAsOpensslWritesItSignsUpdatesTheRegistryVerifies() {
        // Execute
        String signature = new UpdateSigner(DomainPrivateKey.parse(OPENSSL_PEM)).sign(SHA256.getBytes(StandardCharsets.UTF_8));

        // Assert
        assertThat(SignatureVerifier.fromX509Base64(PUBLIC_X509_BASE64).verify(SHA256.getBytes(StandardCharsets.UTF_8), signature)).isTrue();
    }

    @Test
    void theBareBase64DerOfTheSameKeyIsTheSameKey() {
        assertThat(DomainPrivateKey.parse(DER_BASE64)).isEqualTo(DomainPrivateKey.parse(OPENSSL_PEM));
    }

    @Test
    void aPemWithWindowsLineEndsAndIndentationIsRead() {
        String pem = "  " + OPENSSL_PEM.replace("\n", "\r\n");

        assertThat(DomainPrivateKey.parse(pem)).isEqualTo(DomainPrivateKey.parse(DER_BASE64));
    }

    @Test
    void anEncryptedPemIsRefusedByItsKind() {
        String encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIGbMFcGCSqGSIb3DQEFDTBKMCkG\n-----END ENCRYPTED PRIVATE KEY-----\n";

        assertThatThrownBy(() -> DomainPrivateKey.parse(encrypted))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("a PEM 'ENCRYPTED PRIVATE KEY' is not an unencrypted PKCS#8 private key");
    }

    @Test
    void somethingThatIsNoKeyIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> DomainPrivateKey.parse("not-a-key!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an Ed25519 private key in PKCS#8 (PEM or Base64 DER)")
                .hasMessageNotContaining("not-a-key!");
        assertThatThrownBy(() -> DomainPrivateKey.parse("-----BEGIN PRIVATE KEY-----\n" + DER_BASE64))
                .hasMessageContaining("without its -----END PRIVATE KEY----- line");
        assertThatThrownBy(() -> DomainPrivateKey.parse(" "))
                .hasMessageContaining("empty");
    }
}
