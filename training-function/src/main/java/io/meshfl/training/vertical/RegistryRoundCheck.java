package io.meshfl.training.vertical;

import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.vertical.step.Optimiser;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where the governance side's {@code session.json} (the one settings object left: where each party's rows are, which
 * the registry does not hold) disagrees with the registry's round that trains on that session. The registry is the
 * source of truth for everything it holds (parties, who owns labels and head, and every setting of the round); a
 * function steps a round only if the session agrees with it.
 */
final class RegistryRoundCheck {

    private RegistryRoundCheck() {
    }

    /** Each disagreement as {@code field: stored X, registry Y}; empty when the session is the registry's round's. */
    static List<String> disagreements(PsiSessionSettings session, VerticalRoundView registry) {
        List<String> out = new ArrayList<>();
        compare(out, "PSI session", session.session(), registry.psiSession());
        compare(out, "parties", List.copyOf(session.parties().keySet()), registry.parties());
        compare(out, "head owner (session headOwner / registry labelOwner)", session.headOwner(),
                registry.labelOwner());
        compare(out, "label owner (session labelOwner / registry labelSource)", session.labelOwner(),
                registry.labelSource());
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
