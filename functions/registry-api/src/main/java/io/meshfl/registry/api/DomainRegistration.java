package io.meshfl.registry.api;

/**
 * What the governance sends to enrol a domain ({@code POST /domains}); {@code publicKey} is the domain's Ed25519
 * verification key, X.509 SubjectPublicKeyInfo, Base64.
 */
public record DomainRegistration(String id, String name, String owner, String publicKey) {
}
