package io.meshfl.mesh.demo;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * How the functions trust each other: the registry and the aggregation function verify tokens with the issuer's public
 * key and name; the aggregation function calls the registry with a function token, and the mesh's event bridge and
 * sweep timer call the aggregation function with one. {@code functionToken} gives a short-lived token with time left
 * each time it is asked; {@code domainToken} a domain's token, the one a domain's operator puts in the Secret its
 * training function reads for triggers that carry none (round events, schedules).
 */
public record RegistryTrust(Path publicKeyPem, String issuer, Supplier<String> functionToken,
                            Function<String, String> domainToken) {
}
