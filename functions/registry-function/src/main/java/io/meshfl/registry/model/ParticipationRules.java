package io.meshfl.registry.model;

import io.meshfl.registry.problem.FieldErrors;
import java.util.List;

/**
 * Checks the policy's participation settings: who is expected in a round and what happens when too few sent an
 * update by the deadline. A sample smaller than the quorum could never close a round, so it is refused here rather
 * than discovered one deadline later.
 */
final class ParticipationRules {

    static final List<String> ON_QUORUM_MISSED = List.of(ModelDefinition.Policy.RETRY, ModelDefinition.Policy.STOP);

    private ParticipationRules() {
    }

    static void check(ModelDefinition.Policy policy, Integer minDomains, FieldErrors errors) {
        Integer participants = policy.participants();
        Double fraction = policy.participationFraction();
        if (participants != null && fraction != null) {
            errors.add("policy.participants", "give participants or participationFraction, not both");
        }
        if (participants != null) {
            if (participants < 1 || participants > ModelValidator.MAX_DOMAINS) {
                errors.add("policy.participants", "must be between 1 and " + ModelValidator.MAX_DOMAINS + ", was "
                        + participants);
            } else if (minDomains != null && participants < minDomains) {
                errors.add("policy.participants", "must be at least minDomains (" + minDomains + "), was "
                        + participants + ": a smaller sample can never reach the quorum");
            } else if (policy.maxDomains() != null && participants > policy.maxDomains()) {
                errors.add("policy.participants", "must be at most maxDomains (" + policy.maxDomains() + "), was "
                        + participants);
            }
        }
        if (fraction != null && !(fraction > 0 && fraction <= 1)) {
            errors.add("policy.participationFraction", "must be greater than 0 and at most 1, was " + fraction);
        }
        String onQuorumMissed = policy.onQuorumMissed();
        if (onQuorumMissed != null && !ON_QUORUM_MISSED.contains(onQuorumMissed)) {
            errors.add("policy.onQuorumMissed", "must be one of " + ON_QUORUM_MISSED + ", was '" + onQuorumMissed + "'");
        }
    }
}
