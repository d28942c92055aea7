package io.meshfl.mesh.objectstore;

import java.util.List;

/** The local S3 server's principals for the object-store tests: governance, aggregation and two domains. */
final class S3PrincipalsFixture {

    /** The IAM documents the Terraform policies module renders, for bucket {@code meshfl} and two domains. */
    static final FederationAccess ACCESS = FederationAccess.rendered("meshfl", List.of("domain-1", "domain-2"));
    static final S3Principal GOVERNANCE = new S3Principal("gov", "gov-secret", ACCESS.governance());
    static final S3Principal AGGREGATION = new S3Principal("agg", "agg-secret", ACCESS.aggregation());
    static final S3Principal DOMAIN_1 = new S3Principal("d1", "d1-secret", ACCESS.domain("domain-1"));
    static final S3Principal DOMAIN_2 = new S3Principal("d2", "d2-secret", ACCESS.domain("domain-2"));
    static final List<S3Principal> ALL = List.of(GOVERNANCE, AGGREGATION, DOMAIN_1, DOMAIN_2);

    private S3PrincipalsFixture() {
    }
}
