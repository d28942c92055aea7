package io.meshfl.runtime.registry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A domain as the registry returns it; {@code publicKey} is Ed25519, X.509 SubjectPublicKeyInfo, Base64. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DomainView(String id, String name, String owner, String publicKey, String status) {
}
