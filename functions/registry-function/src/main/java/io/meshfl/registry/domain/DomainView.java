package io.meshfl.registry.domain;

/** A domain as the API shows it. */
public record DomainView(String id, String name, String owner, String publicKey, Domain.Status status) {

    public static DomainView of(Domain domain) {
        return new DomainView(domain.id, domain.name, domain.owner, domain.publicKey, domain.status);
    }
}
