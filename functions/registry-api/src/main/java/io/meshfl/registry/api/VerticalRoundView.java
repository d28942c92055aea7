package io.meshfl.registry.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A vertical round as the registry returns it ({@code GET /vertical-models/{id}/rounds/current}, {@code …/rounds/{n}}),
 * with the model's settings: everything a training or head function needs to build the vertical module's
 * {@code VerticalRound} (model, number, {@link #parties}, {@link #labelOwner} as the head owner, {@link #windows},
 * {@link #deadline}, the optimiser from {@link #training}) and its bottom or head network ({@link #architecture}).
 *
 * <p>Lineage: the round trains from version {@link #baseVersion} of the model's states (1: the initial parameters),
 * which round {@link #startsFromRound} produced (null for version 1); a COMPLETED round produces
 * {@link #producedVersion}; a FAILED round changes nothing, so the next round trains from the same base.
 * {@link #dataProductVersions} names the version of each party's data product when the round opened (a domain token
 * sees its own only). {@link #party} is the calling domain's own data product for this model (domain tokens only).
 *
 * <p>What the round was opened with, so that parties and head start and verify it from the registry alone:
 * {@link #psiSession}, the PSI session whose alignment it trains on, and {@link #publicKeys}, the Ed25519 public keys
 * (X.509, Base64) of every party and of the head owner ({@code governance} with labels shared) as they were when it
 * opened; a key changed later applies from the next round on. Both only in the views with settings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerticalRoundView(
        long roundId,
        String model,
        int number,
        VerticalRoundState state,
        Instant openedAt,
        Instant deadline,
        Instant closedAt,
        int windows,
        int baseVersion,
        Integer producedVersion,
        Integer startsFromRound,
        Integer failedWindow,
        List<String> missing,
        String failureReason,
        String outcomeKey,
        Map<String, String> dataProductVersions,
        List<String> parties,
        String labelOwner,
        String labelSource,
        Architecture architecture,
        Training training,
        Party party,
        String psiSession,
        Map<String, String> publicKeys) {

    /** The label (and head) owner when the labels are shared with the federation's governance side. */
    public static final String GOVERNANCE = "governance";

    /** Whether the labels and the head are with the governance side ("with label sharing"). */
    @JsonIgnore
    public boolean labelsShared() {
        return GOVERNANCE.equals(labelOwner);
    }

    @JsonIgnore
    public boolean isOpen() {
        return state == VerticalRoundState.OPEN;
    }

    /**
     * The split network: every party's bottom MLP has the layer widths {@code bottom} (its last width is the
     * embedding's), the head MLP over the concatenated embeddings has {@code head} (ending in one logit).
     */
    public record Architecture(List<Integer> bottom, List<Integer> head) {
    }

    /**
     * How the parties train: batch windows of {@code batchSize} aligned positions, {@code windows} of them per round,
     * the window plan's {@code seed}, and the optimiser every party applies to its own parameters ({@code sgd} or
     * {@code adam} with {@code beta1}, {@code beta2}, {@code epsilon}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Training(Integer batchSize, Integer windows, Long seed, String optimizer, Double learningRate,
            Double beta1, Double beta2, Double epsilon) {
    }

    /**
     * The calling domain's data product for this model: where it is, the entity key its rows are aligned by, the
     * feature columns its bottom model reads, and the label column if this domain is the model's label source.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Party(String domain, String dataProduct, String dataProductVersion, String location, String format,
            String entityKey, List<String> columns, String labelColumn) {
    }
}
