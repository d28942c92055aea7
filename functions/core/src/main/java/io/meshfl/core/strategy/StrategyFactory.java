package io.meshfl.core.strategy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the strategy a model's registry record names ({@code strategy: {name, params}}). Adding a strategy is
 * adding one entry here. Parameters (defaults in brackets):
 * <ul>
 *   <li>{@code fedavg}, {@code median}: none</li>
 *   <li>{@code fedavgm}: serverLearningRate [1.0], momentum [0.9]</li>
 *   <li>{@code fedadagrad}: serverLearningRate [0.1], beta1 [0.0], tau [1e-9]</li>
 *   <li>{@code fedadam}: serverLearningRate [0.1], beta1 [0.9], beta2 [0.99], tau [1e-9]</li>
 *   <li>{@code fedyogi}: serverLearningRate [0.01], beta1 [0.9], beta2 [0.99], tau [1e-3]</li>
 *   <li>{@code trimmed-mean}: beta [0.2], the fraction cut from each end, in [0, 0.5)</li>
 *   <li>{@code krum}: byzantine [0]; {@code multi-krum}: byzantine [0], keep [0 = K − byzantine]</li>
 *   <li>{@code dp-fedavg}: FedAvg inside {@link DifferentialPrivacy}; clipNorm, noiseMultiplier (required),
 *       delta [1e-5], samplingRate [1.0], epsilonBudget [none]. A model gets the same for any mean-based
 *       strategy from its policy ({@code policy.dp}) instead.</li>
 * </ul>
 * Defaults follow Flower's strategies and Reddi et al. 2021.
 */
public final class StrategyFactory {

    /** FedAvg inside {@link DifferentialPrivacy}, by name, for callers without a policy (the CLI). */
    public static final String DP_FEDAVG = "dp-fedavg";

    private static final Map<String, Function<StrategyParameters, Strategy>> BUILDERS = builders();

    private StrategyFactory() {
    }

    public static List<String> names() {
        return List.copyOf(BUILDERS.keySet());
    }

    /**
     * @throws InvalidStrategyException naming the unknown strategy or the bad parameter
     */
    public static Strategy create(String name, Map<String, ? extends Number> params) {
        Function<StrategyParameters, Strategy> builder = name == null ? null : BUILDERS.get(name);
        if (builder == null) {
            throw new InvalidStrategyException("strategy.name", "unknown strategy '" + name + "'; known: "
                    + String.join(", ", BUILDERS.keySet()));
        }
        StrategyParameters parameters = new StrategyParameters(name, params);
        Strategy strategy = builder.apply(parameters);
        parameters.rejectUnknown();
        return strategy;
    }

    private static Map<String, Function<StrategyParameters, Strategy>> builders() {
        Map<String, Function<StrategyParameters, Strategy>> builders = new LinkedHashMap<>();
        builders.put(FedAvg.NAME, p -> new FedAvg());
        builders.put(FedAvgM.NAME, p -> new FedAvgM(eta(p, 1.0), p.number("momentum", 0.9, StrategyParameters::fraction, "in [0, 1)")));
        builders.put(FedAdam.NAME, p -> new FedAdam(eta(p, 0.1), beta1(p, 0.9), beta2(p), tau(p, 1e-9)));
        builders.put(FedYogi.NAME, p -> new FedYogi(eta(p, 0.01), beta1(p, 0.9), beta2(p), tau(p, 1e-3)));
        builders.put(FedAdagrad.NAME, p -> new FedAdagrad(eta(p, 0.1), beta1(p, 0.0), tau(p, 1e-9)));
        builders.put(FedMedian.NAME, p -> new FedMedian());
        builders.put(FedTrimmedAvg.NAME, p -> new FedTrimmedAvg(p.number("beta", 0.2, v -> v >= 0 && v < 0.5, "in [0, 0.5)")));
        builders.put(Krum.NAME, p -> Krum.krum(p.integer("byzantine", 0, 0)));
        builders.put(Krum.MULTI_NAME, p -> Krum.multiKrum(p.integer("byzantine", 0, 0), p.integer("keep", 0, 0)));
        builders.put(DP_FEDAVG, p -> DifferentialPrivacy.around(new FedAvg(), new DifferentialPrivacy.Settings(
                p.required("clipNorm", StrategyParameters::positive, "a positive number"),
                p.required("noiseMultiplier", v -> v >= 0 && Double.isFinite(v), "a non-negative number"),
                p.number("samplingRate", 1.0, v -> v > 0 && v <= 1, "in (0, 1]"),
                p.number("delta", 1e-5, v -> v > 0 && v < 1, "in (0, 1)"),
                p.number("epsilonBudget", Double.POSITIVE_INFINITY, v -> v > 0, "a positive number"))));
        return builders;
    }

    private static double eta(StrategyParameters p, double fallback) {
        return p.number("serverLearningRate", fallback, StrategyParameters::positive, "a positive number");
    }

    private static double beta1(StrategyParameters p, double fallback) {
        return p.number("beta1", fallback, StrategyParameters::fraction, "in [0, 1)");
    }

    private static double beta2(StrategyParameters p) {
        return p.number("beta2", 0.99, StrategyParameters::fraction, "in [0, 1)");
    }

    private static double tau(StrategyParameters p, double fallback) {
        return p.number("tau", fallback, StrategyParameters::positive, "a positive number");
    }
}
