package io.meshfl.aggregation.round;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.registry.api.RoundView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The strategy a round's model names, with the policy's server-side differential privacy around it. */
final class RoundStrategy {

    private RoundStrategy() {
    }

    static Strategy of(RoundView round) {
        if (round.strategy() == null || round.strategy().name() == null) {
            throw new RoundCannotBeAggregated("model '" + round.model() + "' names no strategy");
        }
        Map<String, Number> params = new LinkedHashMap<>();
        JsonNode json = round.strategy().params();
        if (json != null) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
                if (!field.getValue().isNumber()) {
                    throw new RoundCannotBeAggregated("parameter '" + field.getKey() + "' of strategy '"
                            + round.strategy().name() + "' is not a number: " + field.getValue());
                }
                params.put(field.getKey(), field.getValue().numberValue());
            }
        }
        try {
            Strategy strategy = StrategyFactory.create(round.strategy().name(), params);
            return privacy(round).map(settings -> (Strategy) DifferentialPrivacy.around(strategy, settings))
                    .orElse(strategy);
        } catch (InvalidStrategyException e) {
            throw new RoundCannotBeAggregated("model '" + round.model() + "': " + e.getMessage());
        }
    }

    /**
     * The policy's server-side differential privacy: present when {@code policy.dp} sets a noise multiplier (a
     * clip norm alone is the domains' local clipping, applied by the training function).
     */
    private static Optional<DifferentialPrivacy.Settings> privacy(RoundView round) {
        RoundView.DifferentialPrivacy dp = round.policy() == null ? null : round.policy().dp();
        if (dp == null || dp.noiseMultiplier() == null) {
            return Optional.empty();
        }
        if (dp.clipNorm() == null) {
            throw new InvalidStrategyException("policy.dp.clipNorm", "policy.dp sets a noise multiplier without the "
                    + "clip norm that calibrates it");
        }
        return Optional.of(new DifferentialPrivacy.Settings(dp.clipNorm(), dp.noiseMultiplier(), 1.0,
                dp.delta() == null ? 1e-5 : dp.delta(),
                dp.epsilonBudget() == null ? Double.POSITIVE_INFINITY : dp.epsilonBudget()));
    }
}
