package io.meshfl.registry.vertical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.security.Caller;
import java.time.OffsetDateTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Projections of vertical rounds: the round alone (lists, outcomes) or with the model's settings (what functions read). */
public final class VerticalRoundViews {

    private VerticalRoundViews() {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> VERSIONS = new TypeReference<>() {
    };

    /** The round alone, as {@code caller} may see it (null: in full, for events). */
    static VerticalRoundView round(VerticalRound round, Caller caller) {
        return settings(round, null, null, null, null, null, caller);
    }

    /**
     * The round with the settings a function builds its {@code VerticalRound} and networks from; {@code own} (the
     * calling domain's party) and {@code product} (its data product) only for a domain token.
     */
    static VerticalRoundView settings(VerticalRound round, VerticalModel model, VerticalModelDefinition definition,
            List<VerticalParty> parties, VerticalParty own, DataProduct product, Caller caller) {
        boolean failed = round.state == VerticalRoundState.FAILED;
        Map<String, String> versions = versions(round);
        if (caller != null && caller.isDomainOnly()) {
            versions = versions.entrySet().stream().filter(e -> e.getKey().equals(caller.domain()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
        VerticalRoundView.Party party = own == null || product == null ? null : new VerticalRoundView.Party(
                own.domainId, own.dataProductId, versions.getOrDefault(own.domainId, own.dataProductVersion),
                product.location, product.format,
                product.entityKey, own.columns,
                own.domainId.equals(model.labelSource) ? product.labelColumn : null);
        return new VerticalRoundView(round.id, round.modelId, round.number, round.state, instant(round.openedAt),
                instant(round.deadline), instant(round.closedAt), round.windows, round.baseVersion,
                round.producedVersion, round.startsFromRound, failed ? round.failedWindow : null,
                failed ? round.missing : null, failed ? round.failureReason : null,
                ObjectKeys.verticalRoundOutcome(round.modelId, round.number),
                new TreeMap<>(versions),
                parties == null ? null : parties.stream().map(p -> p.domainId).sorted().toList(),
                model == null ? null : model.labelOwner,
                model == null ? null : model.labelSource,
                definition == null ? null : new VerticalRoundView.Architecture(definition.architecture().bottom(),
                        definition.architecture().head()),
                definition == null ? null : training(definition.training()),
                party,
                model == null ? null : round.psiSession,
                model == null ? null : publicKeys(round));
    }

    /** The version of each party's data product when the round opened. */
    public static Map<String, String> versions(VerticalRound round) {
        try {
            return round.dataProductVersions == null ? Map.of() : JSON.readValue(round.dataProductVersions, VERSIONS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored data-product versions of vertical round " + round.id
                    + " are not JSON", e);
        }
    }

    /** The public keys the round was opened with ({owner: key}); empty for a round opened before they were recorded. */
    static Map<String, String> publicKeys(VerticalRound round) {
        try {
            return round.publicKeys == null ? Map.of() : new TreeMap<>(JSON.readValue(round.publicKeys, VERSIONS));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored public keys of vertical round " + round.id + " are not JSON", e);
        }
    }

    static String versionsJson(Map<String, String> versions) {
        try {
            return JSON.writeValueAsString(new TreeMap<>(versions));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write data-product versions", e);
        }
    }

    private static VerticalRoundView.Training training(VerticalModelDefinition.Training t) {
        return new VerticalRoundView.Training(t.batchSize(), t.windows(), t.seed(), t.optimizer(), t.learningRate(),
                t.beta1(), t.beta2(), t.epsilon());
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
