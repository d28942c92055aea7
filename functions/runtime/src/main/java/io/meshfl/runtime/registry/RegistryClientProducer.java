package io.meshfl.runtime.registry;

import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;

/**
 * The registry as the functions reach it, from {@code meshfl.registry.*}: one connection per function instance
 * and, for a function that calls with a token of its own (aggregation), the client bound to that token. Both are
 * made on first use, so an application that never calls the registry starts without these settings.
 */
@ApplicationScoped
class RegistryClientProducer {

    @Produces
    @ApplicationScoped
    RegistryConnection connection(RegistryConfig config) {
        URI url = config.url().orElseThrow(() -> new IllegalStateException(
                "meshfl.registry.url is not set: the registry's base URL (env MESHFL_REGISTRY_URL)"));
        return RegistryConnection.to(url, config.connectTimeout(), config.requestTimeout());
    }

    @Produces
    @ApplicationScoped
    RegistryClient client(RegistryConnection connection, RegistryConfig config) {
        String token = config.token().orElseThrow(() -> new IllegalStateException(
                "meshfl.registry.token is not set: a registry JWT for this function (env MESHFL_REGISTRY_TOKEN)"));
        return connection.as(token);
    }
}
