package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainSigningKeyTest {

    @TempDir
    Path dir;

    @Test
    void theKeyIsCreatedOnceAndReusedSoAResumedMeshKeepsItsIdentity() {
        DomainSigningKey first = DomainSigningKey.loadOrCreate(dir);
        DomainSigningKey second = DomainSigningKey.loadOrCreate(dir);

        assertThat(second.publicKeyBase64()).isEqualTo(first.publicKeyBase64());
        assertThat(DomainSigningKey.loadOrCreate(dir.resolve("other")).publicKeyBase64())
                .isNotEqualTo(first.publicKeyBase64());
    }

    @Test
    void thePrivateKeyIsOwnerOnlyAndSignsWhatThePublicKeyVerifies() throws Exception {
        DomainSigningKey key = DomainSigningKey.loadOrCreate(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key.privateKeyPem()))).isEqualTo("rw-------");
        String pem = Files.readString(key.privateKeyPem(), StandardCharsets.US_ASCII);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", ""));
        PrivateKey privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(privateKey);
        signer.update("sha256-of-tensors".getBytes(StandardCharsets.UTF_8));
        byte[] signature = signer.sign();

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(key.publicKeyBase64()))));
        verifier.update("sha256-of-tensors".getBytes(StandardCharsets.UTF_8));
        assertThat(verifier.verify(signature)).isTrue();
    }
}
