package io.meshfl.registry.vertical;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.dataproduct.DataProduct;
import java.time.OffsetDateTime;
import java.time.Instant;
import java.util.List;

/** Projections of vertical rounds: the round alone (lists, outcomes) or with the model's settings (what functions read). */
final class VerticalRoundViews {

    private VerticalRoundViews() {
    }

    static VerticalRoundView round(VerticalRound round) {
        return settings(round, null, null, null, null, null);
    }

    /**
     * The round with the settings a function builds its {@code VerticalRound} and networks from; {@code own} (the
     * calling domain's party) and {@code product} (its data product) only for a domain token.
     */
    static VerticalRoundView settings(VerticalRound round, VerticalModel model, VerticalModelDefinition definition,
            List<VerticalParty> parties, VerticalParty own, DataProduct product) {
        boolean failed = round.state == VerticalRoundState.FAILED;
        VerticalRoundView.Party party = own == null || product == null ? null : new VerticalRoundView.Party(
                own.domainId, own.dataProductId, own.dataProductVersion, product.location, product.format,
                product.entityKey, own.columns,
                own.domainId.equals(model.labelSource) ? product.labelColumn : null);
        return new VerticalRoundView(round.id, round.modelId, round.number, round.state, instant(round.openedAt),
                instant(round.deadline), instant(round.closedAt), round.windows, round.baseVersion,
                round.producedVersion, round.startsFromRound, failed ? round.failedWindow : null,
                failed ? round.missing : null, failed ? round.failureReason : null,
                ObjectKeys.verticalRoundOutcome(round.modelId, round.number),
                parties == null ? null : parties.stream().map(p -> p.domainId).sorted().toList(),
                model == null ? null : model.labelOwner,
                model == null ? null : model.labelSource,
                definition == null ? null : new VerticalRoundView.Architecture(definition.architecture().bottom(),
                        definition.architecture().head()),
                definition == null ? null : training(definition.training()),
                party);
    }

    private static VerticalRoundView.Training training(VerticalModelDefinition.Training t) {
        return new VerticalRoundView.Training(t.batchSize(), t.windows(), t.seed(), t.optimizer(), t.learningRate(),
                t.beta1(), t.beta2(), t.epsilon());
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
