package io.meshfl.runtime.registry;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * How a function reaches the registry (docs/registry-api.md). Optional here so that an application that never
 * calls the registry still starts; {@link RegistryClient} refuses to work without them, naming the property.
 */
@ConfigMapping(prefix = "meshfl.registry")
public interface RegistryConfig {

    /** Base URL of the registry function, e.g. {@code http://localhost:8081} or its Lambda function URL. */
    Optional<URI> url();

    /**
     * Bearer token (JWT) the registry accepts: role {@code function} for the aggregation function, {@code domain}
     * (with the domain claim) for a domain's training function. A secret: set it from the environment
     * ({@code MESHFL_REGISTRY_TOKEN}), never in a committed file.
     */
    Optional<String> token();

    /** How long to wait for a connection to the registry. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /** How long to wait for one registry response. */
    @WithDefault("PT30S")
    Duration requestTimeout();
}
