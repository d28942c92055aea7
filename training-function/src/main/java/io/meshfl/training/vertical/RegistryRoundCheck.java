package io.meshfl.training.vertical;

import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.vertical.step.Optimiser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a round's stored settings ({@code round.json} and its PSI session's {@code session.json}) disagree with the
 * registry's round of the same number. The registry is the source of truth for everything it holds (parties, who owns
 * labels and head, deadline, optimiser, batch plan, networks, windows); the objects add only what it does not hold (the
 * PSI session, where each party's rows are, the public keys). A function trains or steps a round only if they agree.
 */
final class RegistryRoundCheck {

    private RegistryRoundCheck() {
    }

    /** Each disagreement as {@code field: stored X, registry Y}; empty when the stored settings are the registry's. */
    static List<String> disagreements(RoundSettings round, PsiSessionSettings session, VerticalRoundView registry) {
        List<String> out = new ArrayList<>();
        compare(out, "parties", List.copyOf(session.parties().keySet()), registry.parties());
        compare(out, "head owner (session headOwner / registry labelOwner)", session.headOwner(),
                registry.labelOwner());
        compare(out, "label owner (session labelOwner / registry labelSource)", session.labelOwner(),
                registry.labelSource());
        compare(out, "deadline", round.deadlineInstant(), registry.deadline());
        VerticalRoundView.Training training = registry.training();
        VerticalRoundView.Architecture architecture = registry.architecture();
        if (training == null || architecture == null) {
            out.add("the registry's round carries no training settings or architecture");
            return out;
        }
        compare(out, "batchSize", round.batchSize(), training.batchSize());
        compare(out, "seed", round.seed(), training.seed());
        compare(out, "bottomLayers", round.bottomLayers(), architecture.bottom());
        compare(out, "headLayers", round.headLayers(), architecture.head());
        compare(out, "optimiser", round.optimiser().optimiser(), optimiser(training));
        return out;
    }

    /** The registry's optimiser as the vertical module's; unknown kinds compare unequal (and are named). */
    static Optimiser optimiser(VerticalRoundView.Training training) {
        float rate = training.learningRate() == null ? Float.NaN : training.learningRate().floatValue();
        if ("sgd".equals(training.optimizer())) {
            return Optimiser.sgd(rate);
        }
        if ("adam".equals(training.optimizer())) {
            return new Optimiser(Optimiser.Kind.ADAM, rate, value(training.beta1(), 0.9f),
                    value(training.beta2(), 0.999f), value(training.epsilon(), 1e-8f),
                    0); // the registry's rounds carry no weight decay: deployed rounds run without it
        }
        return null;
    }

    private static float value(Double value, float absent) {
        return value == null ? absent : value.floatValue();
    }

    private static void compare(List<String> out, String field, Object stored, Object registry) {
        if (!Objects.equals(normal(stored), normal(registry))) {
            out.add(field + ": stored " + stored + ", registry " + registry);
        }
    }

    private static Object normal(Object value) {
        if (value instanceof Integer i) {
            return i.longValue();
        }
        return value;
    }
}
