package io.meshfl.registry.domain;

/** What the federation may change about an enrolled domain; absent fields stay as they are. */
public record DomainChange(String name, String owner, String publicKey, Domain.Status status) {
}
