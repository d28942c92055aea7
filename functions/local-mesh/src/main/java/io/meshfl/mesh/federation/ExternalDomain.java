package io.meshfl.mesh.federation;

/**
 * {@code --external DOMAIN}: a domain played by a client outside the mesh (the Python kit with the credentials of
 * {@code ./meshfl domain-credentials}). The mesh runs no training function for it and its scheduler triggers nothing;
 * the registry still expects it, so the round waits for its upload as for any other domain's (or ends at the deadline
 * with a quorum). Its absence from the trigger list is on purpose, never a failure.
 */
public final class ExternalDomain implements Participant {

    private final String domain;

    public ExternalDomain(String domain) {
        this.domain = domain;
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public Outcome takePart(String model, int round) {
        return Outcome.absent(domain, "external: trains outside the mesh and uploads its own update (--external)");
    }
}
