package io.meshfl.mesh.demo;

import java.nio.file.Path;

/**
 * How the functions trust each other: the registry verifies tokens with the issuer's public key and name; the
 * aggregation function calls the registry with its function token.
 */
public record RegistryTrust(Path publicKeyPem, String issuer, String functionToken) {
}
