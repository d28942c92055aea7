package io.meshfl.core.keys;

import io.meshfl.core.event.UpdateKey;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The object-store layout every part of MeshFL agrees on (docs/registry-api.md, "Rounds and keys"), in one place:
 * the registry records these keys, the functions read and write them, the local mesh and the Terraform policies
 * grant them.
 *
 * <pre>
 * models/{model}/global/{n}.safetensors                  global model n, the base of round n
 * models/{model}/state/{n}.safetensors                   the server optimiser's state after version n
 * models/{model}/tmp/{n}-{attempt}-…                     an aggregation attempt's files before publication
 * models/{model}/tmp/{n}-tree-{plan}/…                  a sharded aggregation's node outputs (partial sums, shard
 *                                                        slices; {@code io.meshfl.core.shard.NodeKeys})
 * models/{model}/rounds/{r}/updates/{domain}.safetensors a domain's update in round r ({@link UpdateKey})
 * models/{model}/vrounds/psi/{session}/sets/{owner}/{step}/{writer}.points
 *                                                        a vertical model's private set intersection: a party's
 *                                                        entity keys after {step} blinding steps, written by the
 *                                                        party that applied step {step} (meshfl-vertical)
 * models/{model}/vrounds/{r}/steps/{w}/embeddings/{party}.safetensors
 *                                                        a party's embeddings of batch window w of vertical round r
 * models/{model}/vrounds/{r}/steps/{w}/gradients/{party}.safetensors
 *                                                        the head's gradient with respect to those embeddings
 * models/{model}/vrounds/{r}/head/{w}.safetensors        the governance-side head's state before window w
 * models/{model}/vrounds/{r}/outcome.json                how vertical round r ended (completed, or failed and why)
 * models/{model}/vrounds/psi/{session}/session.json      a PSI session's settings (governance; training-function)
 * models/{model}/vrounds/psi/{session}/labels/{owner}.labels.json
 *                                                        the label owner's labels in the session's pseudonym order,
 *                                                        for a governance-side head (labels shared)
 * models/{model}/vrounds/{r}/round.json                  a vertical round's settings (governance; training-function)
 * models/{model}/scorings/{s}/request.json             a scoring of a vertical model: pseudonyms, version, digest
 * models/{model}/scorings/{s}/embeddings/{party}.safetensors
 *                                                        a party's embeddings of the scoring's entities
 * models/{model}/scorings/{s}/refusals/{party}.json      why a party could not embed them (unknown pseudonyms, …)
 * models/{model}/scorings/{s}/scores.safetensors         the head's probabilities, one per pseudonym (write-once)
 * models/{model}/scorings/{s}/outcome.json               DONE or FAILED with the reason (write-once, the head)
 * domains/{domain}/vertical/{model}/psi/{session}/{blinding-key|alignment.json}
 *                                                        a party's own PSI secret scalar and alignment
 * domains/{domain}/vertical/{model}/vrounds/{r}/{bottom|head}/{w}.safetensors
 *                                                        a domain's own bottom (or head) state before window w
 * domains/{domain}/…                                     what a domain owns: its data products
 * </pre>
 */
public final class ObjectKeys {

    /** Every key a domain owns starts with this followed by the domain id and a slash. */
    public static final String DOMAINS = "domains/";

    private static final Pattern AGGREGATION_TREE = Pattern.compile("^models/[^/]+/tmp/\\d+-tree-[0-9a-f]+/.+$");

    private ObjectKeys() {
    }

    /** Global model version {@code n}: the base of round n, written by the aggregation of round n−1. */
    public static String globalModel(String model, int version) {
        return models(model) + "global/" + version + ".safetensors";
    }

    /** The version {@code key} names if it is one of {@code model}'s global models ({@link #globalModel}). */
    public static OptionalInt globalModelVersion(String model, String key) {
        String prefix = models(model) + "global/";
        String suffix = ".safetensors";
        if (key == null || !key.startsWith(prefix) || !key.endsWith(suffix)) {
            return OptionalInt.empty();
        }
        String number = key.substring(prefix.length(), key.length() - suffix.length());
        if (!number.matches("[1-9][0-9]{0,8}")) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(Integer.parseInt(number));
    }

    /** The server optimiser's state that goes with global model {@code version}. */
    public static String strategyState(String model, int version) {
        return models(model) + "state/" + version + ".safetensors";
    }

    /** Where an attempt to produce version {@code version} writes before it publishes (and what it cleans up). */
    public static String scratchPrefix(String model, int version) {
        return models(model) + "tmp/" + version + "-";
    }

    /**
     * Where the nodes of sharded aggregation plan {@code plan} (a hash of its inputs) for version {@code version}
     * write: under the scratch prefix, so an attempt's clean-up removes them too.
     */
    public static String aggregationTree(String model, int version, String plan) {
        return scratchPrefix(model, version) + "tree-" + plan + "/";
    }

    public static String update(String model, int round, String domain) {
        return new UpdateKey(model, round, domain).key();
    }

    /** Every domain's update of one round (what the sweeper lists to find updates whose event was lost). */
    public static String roundUpdatesPrefix(String model, int round) {
        return models(model) + "rounds/" + round + "/updates/";
    }

    /** Every object of one private set intersection session of a vertical model. */
    public static String psiSession(String model, String session) {
        return models(model) + "vrounds/psi/" + session + "/";
    }

    /**
     * A party's entity keys after {@code step} blinding steps, in PSI session {@code session}, as written by
     * {@code writer} (the party that applied that step). The writer is the last path segment so that an access
     * policy can confine a party to the sets it writes ({@code …/sets/*}{@code /writer.points}).
     */
    public static String psiBlindedSet(String model, String session, String owner, int step, String writer) {
        return psiSession(model, session) + "sets/" + owner + "/" + step + "/" + writer + ".points";
    }

    /** Everything of vertical round {@code round} of {@code model} kept in the federation's space. */
    public static String verticalRound(String model, int round) {
        return models(model) + "vrounds/" + round + "/";
    }

    /** Batch window {@code window} of vertical round {@code round}: its embeddings and gradients. */
    public static String verticalWindow(String model, int round, int window) {
        return verticalRound(model, round) + "steps/" + window + "/";
    }

    /** A party's embeddings of one batch window (written by the party, read by the head). */
    public static String verticalEmbedding(String model, int round, int window, String party) {
        return verticalWindow(model, round, window) + "embeddings/" + party + ".safetensors";
    }

    /** The gradient of the loss with respect to a party's embeddings of one window (written once by the head). */
    public static String verticalGradient(String model, int round, int window, String party) {
        return verticalWindow(model, round, window) + "gradients/" + party + ".safetensors";
    }

    /** The governance-side head's parameters and optimiser state before window {@code window} of the round. */
    public static String verticalHeadState(String model, int round, int window) {
        return verticalRound(model, round) + "head/" + window + ".safetensors";
    }

    /**
     * A domain's own state of a vertical model before window {@code window}: {@code role} {@code bottom} (its bottom
     * model) or {@code head} (the head, when the domain owns the labels). Under the domain's prefix: nobody else reads it.
     */
    public static String verticalDomainState(String domain, String model, String role, int round, int window) {
        return domainPrefix(domain) + "vertical/" + model + "/vrounds/" + round + "/" + role + "/" + window
                + ".safetensors";
    }

    /** A PSI session's settings: parties, their data, who owns the labels and the head (written by governance). */
    public static String psiSessionSettings(String model, String session) {
        return psiSession(model, session) + "session.json";
    }

    /** The label owner's labels in the session's common pseudonym order, for a governance-side head only. */
    public static String psiSharedLabels(String model, String session, String owner) {
        // Not "{owner}.json": a domain named "round" or "session" would then match the readers' wildcards
        // models/*/vrounds/*/round.json and …/session.json, and every party could read the labels.
        return psiSession(model, session) + "labels/" + owner + ".labels.json";
    }

    /** A vertical round's settings (written by governance; its object-created event starts the round). */
    public static String verticalRoundSettings(String model, int round) {
        return verticalRound(model, round) + "round.json";
    }

    /** A party's own objects of one PSI session (its secret blinding scalar, its alignment): nobody else reads them. */
    public static String domainPsiSession(String domain, String model, String session) {
        return domainPrefix(domain) + "vertical/" + model + "/psi/" + session + "/";
    }

    /** How vertical round {@code round} ended; written once (completed by the head, failed by the deadline sweep). */
    public static String verticalRoundOutcome(String model, int round) {
        return verticalRound(model, round) + "outcome.json";
    }

    /** Everything of scoring {@code scoring} of vertical model {@code model} (meshfl-vertical's scoring call). */
    public static String verticalScoring(String model, String scoring) {
        return models(model) + "scorings/" + scoring + "/";
    }

    /** What a scoring asks: the pseudonyms, the version to score with, their digest (governance writes it once). */
    public static String scoringRequest(String model, String scoring) {
        return verticalScoring(model, scoring) + "request.json";
    }

    /** A party's signed embeddings of a scoring's entities, for the head. */
    public static String scoringEmbedding(String model, String scoring, String party) {
        return verticalScoring(model, scoring) + "embeddings/" + party + ".safetensors";
    }

    /** Why a party wrote no embeddings for a scoring (it does not hold every pseudonym, the version is unknown). */
    public static String scoringRefusal(String model, String scoring, String party) {
        return verticalScoring(model, scoring) + "refusals/" + party + ".json";
    }

    /** The head's answer: one probability per pseudonym, in the request's order, signed by the head owner. */
    public static String scoringScores(String model, String scoring) {
        return verticalScoring(model, scoring) + "scores.safetensors";
    }

    /** How a scoring ended (DONE or FAILED with the reason); written once, by the head. */
    public static String scoringOutcome(String model, String scoring) {
        return verticalScoring(model, scoring) + "outcome.json";
    }

    /** Everything a domain owns: {@code domains/{domain}/}. */
    public static String domainPrefix(String domain) {
        return DOMAINS + domain + "/";
    }

    /** A file of a data product's version, under its domain's prefix. */
    public static String dataProductFile(String domain, String product, String version, String file) {
        return domainPrefix(domain) + "data-products/" + product + "/" + version + "/" + file;
    }

    /**
     * Whether an object-created event for this key is for the aggregation function: anything in a round's
     * {@code updates/} folder (the function itself rejects names that are not a valid {@link UpdateKey}, so a
     * stray file is reported instead of silently ignored), and nothing else (its own writes never trigger it).
     */
    public static boolean inUpdatesFolder(String key) {
        if (key == null || !key.startsWith("models/")) {
            return false;
        }
        String[] parts = key.split("/", -1);
        return parts.length == 6 && parts[2].equals("rounds") && parts[4].equals("updates") && !parts[5].isEmpty();
    }

    /**
     * Whether {@code key} is an object of a sharded round's tree ({@link #aggregationTree}): besides update keys, the
     * only keys whose created events go to the aggregation function (each runs the tree node it completes). The
     * Terraform modules route the same keys ({@code models/*}{@code /tmp/*-tree-*}{@code /*}).
     */
    public static boolean inAggregationTree(String key) {
        return key != null && AGGREGATION_TREE.matcher(key).matches();
    }

    private static String models(String model) {
        return "models/" + model + "/";
    }
}
