package io.meshfl.vertical.step;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import java.time.Instant;
import java.util.List;

/**
 * One round of a vertical (split) model, as every party of it knows it: the model, the round number, the parties that
 * send embeddings (sorted: the head concatenates their embeddings in this order), who owns the labels and the head
 * ({@link #GOVERNANCE}, "with label sharing", or one of the parties, "without"), the number of batch windows, the
 * deadline and the optimiser. In a deployment the registry would hand this out with the round; here the caller does.
 */
public record VerticalRound(String model, int round, List<String> parties, String headOwner, int windows,
                            Instant deadline, Optimiser optimiser) {

    /** The head owner when the labels are shared with the federation's governance side. */
    public static final String GOVERNANCE = "governance";

    public VerticalRound {
        ResourceId.require(model, "model");
        if (round < 1) {
            throw new IllegalArgumentException("Vertical rounds are numbered from 1, got " + round);
        }
        if (parties == null || parties.isEmpty()) {
            throw new IllegalArgumentException("A vertical round needs at least one party sending embeddings");
        }
        parties.forEach(party -> ResourceId.require(party, "party"));
        parties = parties.stream().distinct().sorted().toList();
        ResourceId.require(headOwner, "head owner");
        if (!headOwner.equals(GOVERNANCE) && !parties.contains(headOwner)) {
            throw new IllegalArgumentException("The head owner '" + headOwner + "' must be '" + GOVERNANCE
                    + "' or one of the parties " + parties);
        }
        if (windows < 1) {
            throw new IllegalArgumentException("A vertical round needs at least one batch window, got " + windows);
        }
    }

    /** The same model and settings, round {@code next}, with its own deadline. */
    public VerticalRound next(Instant nextDeadline) {
        return new VerticalRound(model, round + 1, parties, headOwner, windows, nextDeadline, optimiser);
    }

    /** Whether the labels (and the head) are with the governance side rather than with one of the domains. */
    public boolean labelsShared() {
        return headOwner.equals(GOVERNANCE);
    }

    public String embeddingKey(int window, String party) {
        return ObjectKeys.verticalEmbedding(model, round, window, party);
    }

    public String gradientKey(int window, String party) {
        return ObjectKeys.verticalGradient(model, round, window, party);
    }

    /** The head's state before {@code window} of round {@code ofRound}: the head owner's own space. */
    public String headStateKey(int ofRound, int window) {
        return labelsShared()
                ? ObjectKeys.verticalHeadState(model, ofRound, window)
                : ObjectKeys.verticalDomainState(headOwner, model, "head", ofRound, window);
    }

    /** A party's bottom-model state before {@code window} of round {@code ofRound}, in the party's own space. */
    public String bottomStateKey(String party, int ofRound, int window) {
        return ObjectKeys.verticalDomainState(party, model, "bottom", ofRound, window);
    }

    public String outcomeKey() {
        return ObjectKeys.verticalRoundOutcome(model, round);
    }

    public String outcomeKey(int ofRound) {
        return ObjectKeys.verticalRoundOutcome(model, ofRound);
    }
}
