package io.meshfl.training.function;

import io.meshfl.training.train.RoundRecipe;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** The training function's configuration: one deployment serves one domain. */
@ConfigMapping(prefix = "meshfl.training")
public interface TrainingConfig {

    /** The domain this function trains for; requests for another domain are refused. */
    String domain();

    /**
     * The domain's Ed25519 private key that signs its updates: PKCS#8 PEM as {@code openssl genpkey -algorithm
     * ed25519} writes it, or the bare Base64 DER. A secret, never from the registry: give it as
     * {@code MESHFL_TRAINING_SIGNING_KEY}, or by reference, read once at start (functions/secrets): the path of a
     * mounted file in {@code MESHFL_TRAINING_SIGNING_KEY_FILE} (Knative), a Secrets Manager secret ARN in
     * {@code MESHFL_TRAINING_SIGNING_KEY_SECRET_ARN} (Lambda).
     */
    String signingKey();

    /**
     * The domain's bearer token for the registry, used when the trigger carries none (Lambda schedules, Knative
     * round events). HTTP requests use the caller's own token. A secret: like the signing key, also by
     * {@code MESHFL_TRAINING_REGISTRY_TOKEN_FILE} or {@code MESHFL_TRAINING_REGISTRY_TOKEN_SECRET_ARN}.
     */
    Optional<String> registryToken();

    /** Where libtorch is unpacked and data products and models are downloaded ({@code /tmp} on Lambda). */
    @WithDefault("${java.io.tmpdir}/meshfl")
    Path workDir();

    /** libtorch and DuckDB threads; empty: libtorch's default (all cores) and one DuckDB thread. */
    OptionalInt threads();

    /** Share of the data product's rows held out to evaluate the global and the trained model. */
    @WithDefault(RoundRecipe.DEFAULT_HOLD_OUT_FRACTION)
    double holdOutFraction();
}
