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
     * The domain's Ed25519 private key, Base64 PKCS#8, that signs its updates. From a secret (environment variable
     * {@code MESHFL_TRAINING_SIGNING_KEY}, a Kubernetes secret, AWS Secrets Manager), never from the registry.
     */
    String signingKey();

    /**
     * The domain's bearer token for the registry, used when the trigger carries none (Lambda schedules, Knative
     * round events). HTTP requests use the caller's own token.
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
