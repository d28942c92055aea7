package io.meshfl.registry.domain;

/** What the federation sends to enrol a domain. */
public record DomainRegistration(String id, String name, String owner, String publicKey) {
}
