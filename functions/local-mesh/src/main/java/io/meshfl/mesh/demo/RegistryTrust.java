package io.meshfl.mesh.demo;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * How the functions trust each other: the registry and the aggregation function verify tokens with the issuer's public
 * key and name; the aggregation function calls the registry with a function token, and the mesh's event bridge and
 * sweep timer call the aggregation function with one. {@code functionToken} gives a short-lived token with time left
 * each time it is asked.
 */
public record RegistryTrust(Path publicKeyPem, String issuer, Supplier<String> functionToken) {
}
