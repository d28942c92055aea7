package io.meshfl.runtime.registry;

import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.secrets.SecretReferences;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;

/**
 * The registry as the functions reach it, from {@code meshfl.registry.*}: one connection per function instance
 * and, for a function that calls with a token of its own (aggregation), the client bound to that token. Both are
 * made on first use, so an application that never calls the registry starts without these settings.
 *
 * <p>A token given as a file ({@code MESHFL_REGISTRY_TOKEN_FILE}, the secret reference of functions/secrets) is read
 * again whenever the file changes, so its owner can hand the function short-lived tokens and renew them; a token given
 * as a value (or from Secrets Manager) is the one read at start.
 */
@ApplicationScoped
class RegistryClientProducer {

    static final String TOKEN_FILE = "meshfl.registry.token" + SecretReferences.FILE_SUFFIX;

    @Produces
    @ApplicationScoped
    RegistryConnection connection(RegistryConfig config) {
        URI url = config.url().orElseThrow(() -> new IllegalStateException(
                "meshfl.registry.url is not set: the registry's base URL (env MESHFL_REGISTRY_URL)"));
        return RegistryConnection.to(url, config.connectTimeout(), config.requestTimeout());
    }

    @Produces
    @ApplicationScoped
    RegistryClient client(RegistryConnection connection, RegistryConfig config, Config all) {
        Optional<Path> file = all.getOptionalValue(TOKEN_FILE, String.class).map(Path::of);
        if (file.isPresent()) {
            return connection.as(new TokenFile(file.get()));
        }
        String token = config.token().orElseThrow(() -> new IllegalStateException(
                "meshfl.registry.token is not set: a registry JWT for this function (env MESHFL_REGISTRY_TOKEN)"));
        return connection.as(token);
    }
}
