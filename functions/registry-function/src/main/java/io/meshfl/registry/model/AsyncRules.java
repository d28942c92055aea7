package io.meshfl.registry.model;

import io.meshfl.core.async.StalenessWeight;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.registry.problem.FieldErrors;
import java.util.List;

/**
 * Checks the policy's aggregation mode. {@code sync} (the default) runs rounds with a quorum and a deadline;
 * {@code async} is buffered asynchronous aggregation (FedBuff, Nguyen et al. 2022): domains train whenever their
 * scheduler fires, from whatever version is current, and each round is a buffer that closes once {@code bufferSize}
 * updates are accepted, each weighted by the {@code staleness} function of how many versions it is behind and
 * refused beyond {@code maxStaleness}. Settings that mean nothing in one mode are refused in it rather than ignored,
 * so a policy reads as what it does: a buffer has no expected sample, no quorum deadline and no per-round maximum.
 */
final class AsyncRules {

    static final List<String> MODES = List.of(ModelDefinition.Policy.SYNC, ModelDefinition.Policy.ASYNC);
    /** A staleness bound past any federation's life, well inside an int. */
    static final int MAX_STALENESS = 1_000_000;

    private AsyncRules() {
    }

    /** Whether the policy asks for async; adds an error for an unknown mode. */
    static boolean isAsync(ModelDefinition.Policy policy, FieldErrors errors) {
        if (policy.mode() != null && !MODES.contains(policy.mode())) {
            errors.add("policy.mode", "must be one of " + MODES + ", was '" + policy.mode() + "'");
        }
        return ModelDefinition.Policy.ASYNC.equals(policy.mode());
    }

    /** The async fields of a sync policy are refused; an async policy gets its defaults checked and filled. */
    static ModelDefinition.Staleness check(ModelDefinition.Policy policy, boolean async, FieldErrors errors) {
        if (!async) {
            refuse(policy.bufferSize() != null, "policy.bufferSize", errors);
            refuse(policy.staleness() != null, "policy.staleness", errors);
            refuse(policy.maxStaleness() != null, "policy.maxStaleness", errors);
            return null;
        }
        Integer buffer = errors.require("policy.bufferSize", policy.bufferSize());
        if (buffer != null && (buffer < 1 || buffer > ModelValidator.MAX_DOMAINS)) {
            errors.add("policy.bufferSize", "must be between 1 and " + ModelValidator.MAX_DOMAINS + ", was " + buffer);
        }
        if (policy.maxStaleness() != null && (policy.maxStaleness() < 0 || policy.maxStaleness() > MAX_STALENESS)) {
            errors.add("policy.maxStaleness", "must be between 0 and " + MAX_STALENESS + ", was "
                    + policy.maxStaleness());
        }
        String sync = "is a synchronous round setting; an async buffer takes an update from any active enrolled domain "
                + "and closes at bufferSize";
        if (policy.participants() != null) {
            errors.add("policy.participants", sync);
        }
        if (policy.participationFraction() != null) {
            errors.add("policy.participationFraction", sync);
        }
        if (policy.maxDomains() != null) {
            errors.add("policy.maxDomains", sync);
        }
        if (policy.onQuorumMissed() != null) {
            errors.add("policy.onQuorumMissed", sync + " (a buffer has no deadline to miss)");
        }
        if (policy.minDomains() != null && buffer != null && policy.minDomains() > buffer) {
            errors.add("policy.minDomains", "must be at most bufferSize (" + buffer + "), was " + policy.minDomains());
        }
        ModelDefinition.Staleness given = policy.staleness() == null
                ? new ModelDefinition.Staleness(null, null, null) : policy.staleness();
        try {
            StalenessWeight weight = StalenessWeight.of("policy.staleness", given.function(), given.a(), given.b());
            return switch (weight.function()) {
                case StalenessWeight.CONSTANT -> new ModelDefinition.Staleness(weight.function(), null, null);
                case StalenessWeight.POLYNOMIAL -> new ModelDefinition.Staleness(weight.function(), weight.a(), null);
                default -> new ModelDefinition.Staleness(weight.function(), weight.a(), weight.b());
            };
        } catch (InvalidStrategyException e) {
            errors.add(e.field(), e.getMessage());
            return null;
        }
    }

    private static void refuse(boolean given, String field, FieldErrors errors) {
        if (given) {
            errors.add(field, "applies to policy.mode 'async' only");
        }
    }
}
