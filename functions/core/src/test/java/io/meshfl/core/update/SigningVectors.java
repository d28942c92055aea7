package io.meshfl.core.update;

import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * The shared signing test vectors under {@code src/test/resources/signing-vectors/}, for the Java tests and any
 * other implementation (the Python domain kit): a fixed, <b>test-only</b> Ed25519 key (seed bytes 0, 1, …, 31), an
 * update signed with it, its {@code meshfl-update-v2} payload in hex and its signature. Ed25519 signatures are
 * deterministic, so every implementation must reproduce {@code signature.txt} exactly. {@link #main} writes them;
 * {@code SigningVectorsTest} checks the committed copies are current.
 */
public final class SigningVectors {

    public static final Path DIRECTORY = Path.of("src/test/resources/signing-vectors");
    public static final String KEY = "test-only-key.pem";
    public static final String PUBLIC_KEY = "public-key.txt";
    public static final String UPDATE = "update.safetensors";
    public static final String PAYLOAD = "payload.hex";
    public static final String SIGNATURE = "signature.txt";

    private SigningVectors() {
    }

    /** The test-only key pair: Ed25519 from the seed 00 01 02 … 1f. */
    public static DomainKeyPair keys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SecureRandom() {
                @Override
                public void nextBytes(byte[] bytes) {
                    for (int i = 0; i < bytes.length; i++) {
                        bytes[i] = (byte) i;
                    }
                }
            });
            KeyPair pair = generator.generateKeyPair();
            return new DomainKeyPair(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()),
                    Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the vectors into {@code args[0]} (default: {@link #DIRECTORY}, run from {@code functions/core}). */
    public static void main(String[] args) throws IOException {
        Path directory = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
        Files.createDirectories(directory);
        DomainKeyPair keys = keys();
        Files.writeString(directory.resolve(KEY), pem(Base64.getDecoder().decode(keys.privateKeyBase64())),
                StandardCharsets.US_ASCII);
        Files.writeString(directory.resolve(PUBLIC_KEY), keys.publicKeyBase64() + "\n", StandardCharsets.US_ASCII);
        // Non-ASCII names and values, a scalar, two dtypes and an extra metadata entry: every rule of the layout.
        ModelManifest manifest = new ModelManifest(List.of(TensorSpec.of("layers.0.weight", Dtype.F32, 2, 3),
                TensorSpec.of("layers.0.bias", Dtype.F32, 2), TensorSpec.of("échelle", Dtype.F64)));
        ModelWeights weights = new ModelWeights(manifest, List.of(new float[] {0.5f, -1, 2, 0.25f, 3, -0.125f},
                new float[] {1, -1}, new float[] {1.5f}));
        Path update = directory.resolve(UPDATE);
        UpdateMetadata stored = new UpdateWriter(keys.signer()).write(update, weights, UpdateMetadata.unsigned(
                "churn-mlp", "domaine-α", 3, "9f".repeat(32), 1200, "{\"accuracy\":0.8125,\"loss\":0.42}"));
        try (SafetensorsReader reader = SafetensorsReader.open(update)) {
            byte[] payload = SigningPayload.of(reader.metadata(), reader.header().tensors());
            Files.writeString(directory.resolve(PAYLOAD), HexFormat.of().formatHex(payload) + "\n",
                    StandardCharsets.US_ASCII);
        }
        Files.writeString(directory.resolve(SIGNATURE), stored.signature() + "\n", StandardCharsets.US_ASCII);
    }

    static String pem(byte[] pkcs8) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
