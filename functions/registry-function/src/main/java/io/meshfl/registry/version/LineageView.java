package io.meshfl.registry.version;

import java.util.List;

/** Which domains and data products (at which versions) contributed to a global model version. */
public record LineageView(String model, int round, String key, Integer producedByRound, List<Contribution> contributions) {

    /** One domain's accepted update that went into the version. */
    public record Contribution(String domain, String dataProduct, String dataProductVersion, long numExamples,
                               String objectKey, String sha256) {
    }
}
