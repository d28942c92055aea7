package io.meshfl.registry.api;

/** A domain as the registry returns it; {@code publicKey} is Ed25519, X.509 SubjectPublicKeyInfo, Base64. */
public record DomainView(String id, String name, String owner, String publicKey, String status) {
}
