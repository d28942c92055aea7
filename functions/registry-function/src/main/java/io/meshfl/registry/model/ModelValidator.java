package io.meshfl.registry.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.meshfl.registry.domain.DomainService;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import java.util.List;
import java.util.Set;

/** Checks a model definition field by field and fills the documented defaults. */
final class ModelValidator {

    static final Set<String> OPTIMIZERS = Set.of("sgd", "adam");
    /** How domains scale features: their own statistics, or none (the data products share a scale). */
    static final List<String> FEATURE_SCALINGS = List.of("local", "none");

    private ModelValidator() {
    }

    static ModelDefinition validated(ModelDefinition model) {
        if (model == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        String id = errors.require("id", model.id());
        if (id != null && !id.isBlank() && !DomainService.SLUG.matcher(id).matches()) {
            errors.add("id", "must be a lower-case slug (a-z, 0-9, '-'; at most 63 characters)");
        }
        errors.require("purpose", model.purpose());
        architecture(model.architecture(), errors);
        ModelDefinition.Strategy strategy = errors.require("strategy", model.strategy());
        if (strategy != null) {
            String name = errors.require("strategy.name", strategy.name());
            if (name != null && !name.isBlank() && !StrategyNames.KNOWN.contains(name)) {
                errors.add("strategy.name", "unknown strategy '" + name + "'; known: "
                        + StrategyNames.KNOWN.stream().sorted().toList());
            }
            if (strategy.params() != null && !strategy.params().isObject()) {
                errors.add("strategy.params", "must be an object");
            }
        }
        ModelDefinition.Policy policy = policy(model.policy(), errors);
        ModelDefinition.Training training = training(model.training(), errors);
        errors.throwIfAny();
        ModelDefinition.Strategy withParams = new ModelDefinition.Strategy(strategy.name(),
                strategy.params() != null ? strategy.params()
                        : JsonNodeFactory.instance.objectNode());
        return new ModelDefinition(id, model.purpose(), model.architecture(), withParams, policy, training);
    }

    private static void architecture(JsonNode architecture, FieldErrors errors) {
        if (architecture == null || !architecture.isObject()) {
            errors.add("architecture", "must be an object: {template} or {layers: [{name, shape}]}");
            return;
        }
        boolean template = architecture.path("template").isTextual() && !architecture.path("template").asText().isBlank();
        JsonNode layers = architecture.path("layers");
        if (!template && (!layers.isArray() || layers.isEmpty())) {
            errors.add("architecture", "must name a template or list its layers");
            return;
        }
        for (int i = 0; i < layers.size(); i++) {
            JsonNode layer = layers.get(i);
            if (!layer.path("name").isTextual() || layer.path("name").asText().isBlank()) {
                errors.add("architecture.layers[" + i + "].name", "is required");
            }
            JsonNode shape = layer.path("shape");
            boolean valid = shape.isArray() && !shape.isEmpty();
            for (JsonNode dimension : shape) {
                valid &= dimension.isIntegralNumber() && dimension.asLong() > 0;
            }
            if (!valid) {
                errors.add("architecture.layers[" + i + "].shape", "must be a non-empty list of positive integers");
            }
        }
    }

    private static ModelDefinition.Policy policy(ModelDefinition.Policy policy, FieldErrors errors) {
        if (policy == null) {
            errors.add("policy", "is required (at least minDomains and roundDeadlineSeconds)");
            return null;
        }
        Integer min = errors.require("policy.minDomains", policy.minDomains());
        if (min != null && min < 1) {
            errors.add("policy.minDomains", "must be at least 1");
        }
        if (policy.maxDomains() != null && min != null && policy.maxDomains() < min) {
            errors.add("policy.maxDomains", "must be at least minDomains (" + min + ")");
        }
        Long deadline = errors.require("policy.roundDeadlineSeconds", policy.roundDeadlineSeconds());
        if (deadline != null && deadline <= 0) {
            errors.add("policy.roundDeadlineSeconds", "must be positive");
        }
        if (policy.maxUpdateNorm() != null && !(policy.maxUpdateNorm() > 0)) {
            errors.add("policy.maxUpdateNorm", "must be positive");
        }
        if (policy.fedproxMu() != null && !(policy.fedproxMu() >= 0)) {
            errors.add("policy.fedproxMu", "must be zero or positive");
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
        return new ModelDefinition.Policy(min, policy.maxDomains(), deadline, policy.maxUpdateNorm(),
                policy.fedproxMu() != null ? policy.fedproxMu() : 0.0, dp);
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
        if (filled.localEpochs() < 1) {
            errors.add("training.localEpochs", "must be at least 1");
        }
        if (filled.batchSize() < 1) {
            errors.add("training.batchSize", "must be at least 1");
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
