package io.meshfl.registry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.registry.input.FiniteNumbers;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a model definition field by field and fills the documented defaults. Every bound here exists because a
 * value past it breaks something later: a deadline past 30 days overflows nothing but keeps a round open for
 * ever in practice, a shape of 2^62 parameters cannot be allocated by any aggregator, and a strategy parameter
 * misspelled here would fail the round only after every domain had trained.
 */
final class ModelValidator {

    static final Set<String> OPTIMIZERS = Set.of("sgd", "adam");
    /** How domains scale features: their own statistics, or none (the data products share a scale). */
    static final List<String> FEATURE_SCALINGS = List.of("local", "none");
    static final long MAX_ROUND_DEADLINE_SECONDS = 30L * 24 * 3600;
    /** Four GB of float32: more than any function's memory holds, far less than a long's overflow. */
    static final long MAX_PARAMETERS = 1_000_000_000L;
    static final int MAX_LAYERS = 10_000;
    static final int MAX_DOMAINS = 100_000;
    static final int MAX_LOCAL_EPOCHS = 10_000;
    static final int MAX_BATCH_SIZE = 1_000_000;

    private ModelValidator() {
    }

    static ModelDefinition validated(ModelDefinition model) {
        if (model == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String id = errors.require("id", model.id());
        ResourceIds.check("id", id, errors);
        errors.require("purpose", model.purpose());
        architecture(model.architecture(), errors);
        ModelDefinition.Strategy strategy = errors.require("strategy", model.strategy());
        Strategy built = strategy == null ? null : strategy(strategy, errors);
        ModelDefinition.Policy policy = policy(model.policy(), errors);
        if (built != null && policy != null && errors.isEmpty()) {
            privacy(built, policy.dp(), errors);
        }
        ModelDefinition.Training training = training(model.training(), errors);
        errors.throwIfAny();
        ModelDefinition.Strategy withParams = new ModelDefinition.Strategy(strategy.name(),
                strategy.params() != null ? strategy.params()
                        : JsonNodeFactory.instance.objectNode());
        return new ModelDefinition(id, model.purpose(), model.architecture(), withParams, policy, training);
    }

    /** Core's {@link StrategyFactory} is the one judge of names and parameters; its field is ours. */
    private static Strategy strategy(ModelDefinition.Strategy strategy, FieldErrors errors) {
        String name = errors.require("strategy.name", strategy.name());
        JsonNode params = strategy.params();
        Map<String, Number> numbers = new LinkedHashMap<>();
        if (params != null && !params.isNull() && !params.isObject()) {
            errors.add("strategy.params", "must be an object");
        } else if (params != null && params.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = params.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String at = "strategy.params." + field.getKey();
                if (!field.getValue().isNumber()) {
                    errors.add(at, "must be a number");
                } else if (!Double.isFinite(field.getValue().asDouble())) {
                    errors.add(at, "must be a finite number, was " + field.getValue().asText());
                } else {
                    numbers.put(field.getKey(), field.getValue().numberValue());
                }
            }
        }
        if (name == null || name.isBlank() || !errors.isEmpty() && numbers.size() != sizeOf(params)) {
            return null;
        }
        try {
            return StrategyFactory.create(name, numbers);
        } catch (InvalidStrategyException e) {
            errors.add(e.field(), e.getMessage());
            return null;
        }
    }

    /**
     * With {@code policy.dp.noiseMultiplier} the aggregation function runs the strategy inside core's
     * {@link DifferentialPrivacy} wrapper, which takes mean-based strategies only: checked here with the same
     * wrapper and the same settings, so a median or Krum model with server-side noise is refused at registration.
     */
    private static void privacy(Strategy strategy, ModelDefinition.Dp dp, FieldErrors errors) {
        if (dp == null || dp.noiseMultiplier() == null || dp.clipNorm() == null) {
            return;
        }
        try {
            DifferentialPrivacy.around(strategy, new DifferentialPrivacy.Settings(dp.clipNorm(), dp.noiseMultiplier(),
                    1.0, dp.delta() == null ? 1e-5 : dp.delta(),
                    dp.epsilonBudget() == null ? Double.POSITIVE_INFINITY : dp.epsilonBudget()));
        } catch (InvalidStrategyException e) {
            errors.add(e.field(), e.getMessage());
        }
    }

    private static int sizeOf(JsonNode params) {
        return params == null || !params.isObject() ? 0 : params.size();
    }

    private static void architecture(JsonNode architecture, FieldErrors errors) {
        if (architecture == null || !architecture.isObject()) {
            errors.add("architecture", "must be an object: {template} or {layers: [{name, shape}]}");
            return;
        }
        FiniteNumbers.check("architecture", architecture, errors);
        boolean template = architecture.path("template").isTextual() && !architecture.path("template").asText().isBlank();
        JsonNode layers = architecture.path("layers");
        if (!template && (!layers.isArray() || layers.isEmpty())) {
            errors.add("architecture", "must name a template or list its layers");
            return;
        }
        if (layers.size() > MAX_LAYERS) {
            errors.add("architecture.layers", "must list at most " + MAX_LAYERS + " layers, has " + layers.size());
            return;
        }
        long parameters = 0;
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            if (!layer.path("name").isTextual() || layer.path("name").asText().isBlank()) {
                errors.add("architecture.layers[" + i + "].name", "is required");
            }
            JsonNode shape = layer.path("shape");
            // [] is a scalar (one value), as PyTorch's BatchNorm num_batches_tracked is.
            boolean valid = shape.isArray();
            long elements = 1;
            for (JsonNode dimension : shape) {
                valid &= dimension.isIntegralNumber() && dimension.canConvertToLong() && dimension.asLong() > 0;
                if (valid) {
                    elements = saturatingMultiply(elements, dimension.asLong());
                }
            }
            if (!valid) {
                errors.add("architecture.layers[" + i + "].shape", "must be a list of positive integers ([] for a scalar)");
            } else if (elements > MAX_PARAMETERS) {
                errors.add("architecture.layers[" + i + "].shape", "has " + (elements == Long.MAX_VALUE ? "more than 2^63"
                        : elements) + " parameters; a model may have at most " + MAX_PARAMETERS);
            } else {
                parameters += elements;
            }
        }
        if (parameters > MAX_PARAMETERS) {
            errors.add("architecture.layers", "have " + parameters + " parameters in all; a model may have at most "
                    + MAX_PARAMETERS);
        }
    }

    private static long saturatingMultiply(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long product = a * b;
        return high != 0 || product < 0 ? Long.MAX_VALUE : product;
    }

    private static ModelDefinition.Policy policy(ModelDefinition.Policy policy, FieldErrors errors) {
        if (policy == null) {
            errors.add("policy", "is required (at least minDomains and roundDeadlineSeconds, or mode async and "
                    + "bufferSize)");
            return null;
        }
        boolean async = AsyncRules.isAsync(policy, errors);
        // A buffer needs neither: it closes at bufferSize, whenever that is (the deadline column gets the longest).
        Integer min = async && policy.minDomains() == null ? Integer.valueOf(1)
                : errors.require("policy.minDomains", policy.minDomains());
        if (min != null && (min < 1 || min > MAX_DOMAINS)) {
            errors.add("policy.minDomains", "must be between 1 and " + MAX_DOMAINS + ", was " + min);
        }
        if (policy.maxDomains() != null && (policy.maxDomains() < 1 || policy.maxDomains() > MAX_DOMAINS)) {
            errors.add("policy.maxDomains", "must be between 1 and " + MAX_DOMAINS + ", was " + policy.maxDomains());
        } else if (policy.maxDomains() != null && min != null && policy.maxDomains() < min) {
            errors.add("policy.maxDomains", "must be at least minDomains (" + min + ")");
        }
        Long deadline = async && policy.roundDeadlineSeconds() == null ? Long.valueOf(MAX_ROUND_DEADLINE_SECONDS)
                : errors.require("policy.roundDeadlineSeconds", policy.roundDeadlineSeconds());
        if (deadline != null && (deadline < 1 || deadline > MAX_ROUND_DEADLINE_SECONDS)) {
            errors.add("policy.roundDeadlineSeconds", "must be between 1 and " + MAX_ROUND_DEADLINE_SECONDS
                    + " (30 days), was " + deadline);
        }
        if (policy.maxUpdateNorm() != null && !(policy.maxUpdateNorm() > 0)) {
            errors.add("policy.maxUpdateNorm", "must be positive");
        }
        if (policy.fedproxMu() != null && !(policy.fedproxMu() >= 0)) {
            errors.add("policy.fedproxMu", "must be zero or positive");
        }
        if (policy.maxExamplesPerUpdate() != null && policy.maxExamplesPerUpdate() < 1) {
            errors.add("policy.maxExamplesPerUpdate", "must be at least 1, was " + policy.maxExamplesPerUpdate());
        }
        ModelDefinition.Dp dp = policy.dp();
        if (dp != null) {
            if (dp.clipNorm() == null || !(dp.clipNorm() > 0)) {
                errors.add("policy.dp.clipNorm", "must be positive");
            }
            if (dp.noiseMultiplier() == null || !(dp.noiseMultiplier() >= 0)) {
                errors.add("policy.dp.noiseMultiplier", "must be zero or positive");
            }
            if (dp.delta() == null || !(dp.delta() > 0 && dp.delta() < 1)) {
                errors.add("policy.dp.delta", "must be between 0 and 1 (exclusive)");
            }
            if (dp.epsilonBudget() == null || !(dp.epsilonBudget() > 0)) {
                errors.add("policy.dp.epsilonBudget", "must be positive");
            }
        }
        ParticipationRules.check(policy, min, errors);
        ModelDefinition.Staleness staleness = AsyncRules.check(policy, async, errors);
        return new ModelDefinition.Policy(min, policy.maxDomains(), deadline, policy.maxUpdateNorm(),
                policy.fedproxMu() != null ? policy.fedproxMu() : 0.0, dp, policy.maxExamplesPerUpdate(),
                policy.participants(), policy.participationFraction(),
                policy.onQuorumMissed() != null || async ? policy.onQuorumMissed() : ModelDefinition.Policy.RETRY,
                policy.mode(), policy.bufferSize(), staleness,
                policy.maxStaleness(), policy.allowsResubmit());
    }

    private static ModelDefinition.Training training(ModelDefinition.Training training, FieldErrors errors) {
        ModelDefinition.Training given = training != null ? training
                : new ModelDefinition.Training(null, null, null, null, null, null);
        ModelDefinition.Training filled = new ModelDefinition.Training(
                given.localEpochs() != null ? given.localEpochs() : 1,
                given.batchSize() != null ? given.batchSize() : 32,
                given.learningRate() != null ? given.learningRate() : 0.01,
                given.optimizer() != null ? given.optimizer() : "sgd",
                given.seed(),
                given.featureScaling() != null ? given.featureScaling() : "local");
        if (filled.localEpochs() < 1 || filled.localEpochs() > MAX_LOCAL_EPOCHS) {
            errors.add("training.localEpochs", "must be between 1 and " + MAX_LOCAL_EPOCHS);
        }
        if (filled.batchSize() < 1 || filled.batchSize() > MAX_BATCH_SIZE) {
            errors.add("training.batchSize", "must be between 1 and " + MAX_BATCH_SIZE);
        }
        if (!(filled.learningRate() > 0)) {
            errors.add("training.learningRate", "must be positive");
        }
        if (!FEATURE_SCALINGS.contains(filled.featureScaling())) {
            errors.add("training.featureScaling", "must be one of " + FEATURE_SCALINGS);
        }
        if (!OPTIMIZERS.contains(filled.optimizer())) {
            errors.add("training.optimizer", "must be one of " + OPTIMIZERS.stream().sorted().toList());
        }
        return filled;
    }
}
