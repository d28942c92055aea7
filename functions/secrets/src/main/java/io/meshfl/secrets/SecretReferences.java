package io.meshfl.secrets;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.UnaryOperator;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives each secret setting {@code P} its value from where a deployment keeps it, read once at start: {@code P-file}
 * names a file (a mounted Kubernetes secret), {@code P-secret-arn} an AWS Secrets Manager secret, optionally
 * {@code <arn>#<field>} for one field of a JSON secret. As environment variables: {@code MESHFL_TRAINING_SIGNING_KEY_FILE},
 * {@code QUARKUS_DATASOURCE_PASSWORD_SECRET_ARN}, … The value then never appears in the function's configuration, in
 * Terraform state or in a rendered manifest.
 *
 * <p>A setting given more than one way (the value itself and a reference, or two references) stops the start: which
 * one was meant cannot be guessed. The resolved values rank below environment variables (300) and above
 * {@code application.properties} (250).
 */
public final class SecretReferences implements ConfigSourceFactory {

    /** Every secret setting of every function (infra/contract/functions.json: "secret": true; a test compares). */
    public static final List<String> SECRET_PROPERTIES = List.of(
            "meshfl.training.signing-key",
            "meshfl.training.registry-token",
            "meshfl.registry.token",
            "meshfl.object-store.access-key",
            "meshfl.object-store.secret-key",
            "quarkus.datasource.password");

    public static final String FILE_SUFFIX = "-file";
    public static final String SECRET_ARN_SUFFIX = "-secret-arn";

    static final int ORDINAL = 275;

    private final UnaryOperator<String> secretsManager;

    /** The ServiceLoader's constructor: references to Secrets Manager are read with the AWS SDK. */
    public SecretReferences() {
        this(SecretsManagerSecret::read);
    }

    SecretReferences(UnaryOperator<String> secretsManager) {
        this.secretsManager = secretsManager;
    }

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> resolved = new LinkedHashMap<>();
        for (String property : SECRET_PROPERTIES) {
            Optional<String> file = value(context, property + FILE_SUFFIX);
            Optional<String> arn = value(context, property + SECRET_ARN_SUFFIX);
            if (file.isEmpty() && arn.isEmpty()) {
                continue;
            }
            if (file.isPresent() && arn.isPresent() || givenDirectly(context, property)) {
                throw new IllegalArgumentException(property + " is given more than one way (" + property + ", "
                        + property + FILE_SUFFIX + ", " + property + SECRET_ARN_SUFFIX + "): set exactly one");
            }
            resolved.put(property, file.isPresent()
                    ? SecretFile.read(property + FILE_SUFFIX, file.get())
                    : secretsManager.apply(arn.get()));
        }
        return List.of(new PropertiesConfigSource(resolved, "MeshFL secret references", ORDINAL));
    }

    /**
     * Set by a source that outranks the references (environment, system properties). Lower ones are overridden
     * anyway: {@code application.properties}, and the defaults Quarkus records at build time, which include what this
     * factory resolved then.
     */
    private static boolean givenDirectly(ConfigSourceContext context, String property) {
        ConfigValue value = context.getValue(property);
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getConfigSourceOrdinal() > ORDINAL;
    }

    private static Optional<String> value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty()
                : Optional.of(value.getValue().strip());
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
