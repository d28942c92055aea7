package io.meshfl.registry.vertical;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A vertical model as the governance registers it and as the registry returns it (defaults filled in; each party with
 * its data product's version, entity key and feature columns). Boxed fields, so that a missing number is a field error.
 *
 * @param labelOwner {@code governance} (labels shared with the governance side, which holds the head) or one of the
 *     parties' domains (no label sharing: that domain holds labels and head)
 * @param labelSource the party whose data product holds the label column (the label owner itself when it is a domain)
 * @param psiSession the PSI session ({@code models/{id}/vrounds/psi/{session}/}) whose alignment the rounds train on
 * @param headPublicKey the governance-side head's Ed25519 public key (X.509, Base64), with labels shared only: a
 *     domain-owned head signs with its registered domain key
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalModelDefinition(String id, String purpose, List<Party> parties, String labelOwner,
                                      String labelSource, Architecture architecture, Policy policy,
                                      Training training, String psiSession, String headPublicKey) {

    /**
     * A domain and the data product it trains its bottom model on; {@code columns} (optional) picks the feature
     * columns it contributes, by default every schema column but the entity key and the label. The registry fills in
     * {@code dataProductVersion}, the product's version at registration.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Party(String domain, String dataProduct, String dataProductVersion, List<String> columns) {
    }

    /** Layer widths of every party's bottom MLP (the last is the embedding's) and of the head MLP (ending in 1). */
    public record Architecture(List<Integer> bottom, List<Integer> head) {
    }

    /** {@code roundDeadlineSeconds} per round; {@code rounds} (optional) how many rounds open before they stop. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Policy(Long roundDeadlineSeconds, Integer rounds) {
    }

    /** Batch windows and the optimiser every party applies to its own parameters. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(Integer batchSize, Integer windows, Long seed, String optimizer, Double learningRate,
                           Double beta1, Double beta2, Double epsilon) {
    }
}
