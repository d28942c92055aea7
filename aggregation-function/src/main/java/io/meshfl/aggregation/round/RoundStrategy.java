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
public final class RoundStrategy {

    private RoundStrategy() {
    }

    public static Strategy of(RoundView round) {
        return of(round.model(), round.strategy(), round.policy());
    }

    /** The same from the model's strategy and policy as recorded elsewhere (a sharded round's plan object). */
    public static Strategy of(String model, RoundView.StrategySpec spec, RoundView.Policy policy) {
        if (spec == null || spec.name() == null) {
            throw new RoundCannotBeAggregated("model '" + model + "' names no strategy");
        }
        Map<String, Number> params = new LinkedHashMap<>();
        JsonNode json = spec.params();
        if (json != null) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
                if (!field.getValue().isNumber()) {
                    throw new RoundCannotBeAggregated("parameter '" + field.getKey() + "' of strategy '"
                            + spec.name() + "' is not a number: " + field.getValue());
                }
                params.put(field.getKey(), field.getValue().numberValue());
            }
        }
        try {
            Strategy strategy = StrategyFactory.create(spec.name(), params);
            return privacy(policy).map(settings -> (Strategy) DifferentialPrivacy.around(strategy, settings))
                    .orElse(strategy);
        } catch (InvalidStrategyException e) {
            throw new RoundCannotBeAggregated("model '" + model + "': " + e.getMessage());
        }
    }

    /**
     * The policy's server-side differential privacy: present when {@code policy.dp} sets a noise multiplier (a
     * clip norm alone is the domains' local clipping, applied by the training function).
     */
    private static Optional<DifferentialPrivacy.Settings> privacy(RoundView.Policy policy) {
        RoundView.DifferentialPrivacy dp = policy == null ? null : policy.dp();
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
