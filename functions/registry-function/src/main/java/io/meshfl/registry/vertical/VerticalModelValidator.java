package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a vertical model's definition on its own (ids, numbers, the label owner among the parties) and fills in the
 * defaults; {@link VerticalModelService} then checks it against the stored domains and data products. Every bad field
 * is reported at once, by its JSON path.
 */
final class VerticalModelValidator {

    static final int MIN_PARTIES = 2;
    static final int MAX_PARTIES = 100;
    static final int MAX_LAYERS = 16;
    static final int MAX_WIDTH = 65_536;
    static final long MAX_ROUND_DEADLINE_SECONDS = 30L * 24 * 3600;
    static final int MAX_ROUNDS = 1_000_000;
    static final int MAX_BATCH_SIZE = 1_000_000;
    static final int MAX_WINDOWS = 1_000_000;

    private VerticalModelValidator() {
    }

    static VerticalModelDefinition validated(VerticalModelDefinition model) {
        if (model == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        ResourceIds.check("id", errors.require("id", model.id()), errors);
        String purpose = errors.require("purpose", model.purpose());
        if (purpose != null && purpose.length() > 255) {
            errors.add("purpose", "must be at most 255 characters");
        }
        List<String> domains = parties(model.parties(), errors);
        String labelOwner = errors.require("labelOwner", model.labelOwner());
        String labelSource = model.labelSource();
        if (labelOwner != null && !labelOwner.equals(VerticalRoundView.GOVERNANCE) && !domains.contains(labelOwner)) {
            errors.add("labelOwner", "must be '" + VerticalRoundView.GOVERNANCE + "' (labels shared with the governance"
                    + " side) or one of the parties' domains " + domains + " (no label sharing); was '"
                    + ResourceIds.printable(labelOwner) + "'");
        } else if (VerticalRoundView.GOVERNANCE.equals(labelOwner)) {
            if (errors.require("labelSource", labelSource) != null && !domains.contains(labelSource)) {
                errors.add("labelSource", "must be the party whose data product holds the labels, one of " + domains);
            }
        } else if (labelOwner != null) {
            if (labelSource != null && !labelSource.equals(labelOwner)) {
                errors.add("labelSource", "must be the label owner '" + labelOwner + "' (or absent): a domain that "
                        + "owns the head holds the labels itself");
            }
            labelSource = labelOwner;
        }
        String psiSession = errors.require("psiSession", model.psiSession());
        if (psiSession != null) {
            ResourceIds.check("psiSession", psiSession, errors);
        }
        headKey(labelOwner, model.headPublicKey(), errors);
        VerticalModelDefinition.Architecture architecture = architecture(model.architecture(), errors);
        VerticalModelDefinition.Policy policy = policy(model.policy(), errors);
        VerticalModelDefinition.Training training = training(model.training(), errors);
        errors.throwIfAny();
        return new VerticalModelDefinition(model.id(), purpose, model.parties(), labelOwner, labelSource, architecture,
                policy, training, psiSession, model.headPublicKey());
    }

    /**
     * The governance-side head's key is the registry's to hand out (every party verifies the head's gradients and
     * outcomes with it), so a model whose labels are shared needs one; a domain-owned head signs with its registered
     * domain key, and a second key for it would be a second truth.
     */
    static void headKey(String labelOwner, String headPublicKey, FieldErrors errors) {
        if (VerticalRoundView.GOVERNANCE.equals(labelOwner)) {
            if (errors.require("headPublicKey", headPublicKey) != null
                    && !io.meshfl.registry.domain.DomainService.isEd25519PublicKey(headPublicKey)) {
                errors.add("headPublicKey", "must be an Ed25519 public key, X.509 SubjectPublicKeyInfo, Base64");
            }
        } else if (labelOwner != null && headPublicKey != null) {
            errors.add("headPublicKey", "is for a head on the governance side only: domain '"
                    + ResourceIds.printable(labelOwner) + "' runs this model's head and signs with its registered"
                    + " domain key");
        }
    }

    /** The parties' domains (the valid ones), after checking every party's shape. */
    private static List<String> parties(List<VerticalModelDefinition.Party> parties, FieldErrors errors) {
        List<String> domains = new ArrayList<>();
        if (parties == null) {
            errors.add("parties", "is required: the domains (with their data products) that hold the model's columns");
            return domains;
        }
        if (parties.size() < MIN_PARTIES || parties.size() > MAX_PARTIES) {
            errors.add("parties", "must name " + MIN_PARTIES + "…" + MAX_PARTIES + " domains holding different columns "
                    + "of the same entities; got " + parties.size());
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < parties.size(); i++) {
            String at = "parties[" + i + "]";
            VerticalModelDefinition.Party party = parties.get(i);
            if (party == null) {
                errors.add(at, "must be {domain, dataProduct, columns?}");
                continue;
            }
            String domain = errors.require(at + ".domain", party.domain());
            ResourceIds.check(at + ".domain", domain, errors);
            ResourceIds.check(at + ".dataProduct", errors.require(at + ".dataProduct", party.dataProduct()), errors);
            if (party.dataProductVersion() != null) {
                errors.add(at + ".dataProductVersion", "is set by the registry (the product's version now)");
            }
            if (party.columns() != null) {
                columns(party.columns(), at + ".columns", errors);
            }
            if (VerticalRoundView.GOVERNANCE.equals(domain)) {
                errors.add(at + ".domain", "'" + domain + "' names the governance side as label owner; it cannot "
                        + "be a party's domain");
            } else if (domain != null && ResourceIds.valid(domain)) {
                Integer earlier = seen.putIfAbsent(domain, i);
                if (earlier != null) {
                    errors.add(at + ".domain", "names domain '" + domain + "' again (parties[" + earlier + "]): a "
                            + "domain is one party with one data product");
                } else {
                    domains.add(domain);
                }
            }
        }
        return domains;
    }

    private static void columns(List<String> columns, String at, FieldErrors errors) {
        if (columns.isEmpty()) {
            errors.add(at, "must name at least one feature column (or be absent: every column but the entity key "
                    + "and the label)");
        }
        Set<String> names = new HashSet<>();
        for (int j = 0; j < columns.size(); j++) {
            String column = columns.get(j);
            if (column == null || column.isBlank()) {
                errors.add(at + "[" + j + "]", "must be a column name");
            } else if (!names.add(column)) {
                errors.add(at + "[" + j + "]", "names column '" + column + "' twice");
            }
        }
    }

    private static VerticalModelDefinition.Architecture architecture(VerticalModelDefinition.Architecture architecture,
            FieldErrors errors) {
        if (errors.require("architecture", architecture) == null) {
            return null;
        }
        widths(architecture.bottom(), "architecture.bottom", errors);
        List<Integer> head = widths(architecture.head(), "architecture.head", errors);
        if (head != null && !head.isEmpty() && head.get(head.size() - 1) != null && head.get(head.size() - 1) != 1) {
            errors.add("architecture.head", "must end in one unit: the head outputs one logit (binary labels)");
        }
        return architecture;
    }

    private static List<Integer> widths(List<Integer> widths, String at, FieldErrors errors) {
        if (errors.require(at, widths) == null) {
            return null;
        }
        if (widths.isEmpty() || widths.size() > MAX_LAYERS) {
            errors.add(at, "must list 1…" + MAX_LAYERS + " layer widths");
        }
        for (int i = 0; i < widths.size(); i++) {
            Integer width = widths.get(i);
            if (width == null || width < 1 || width > MAX_WIDTH) {
                errors.add(at + "[" + i + "]", "must be a width of 1…" + MAX_WIDTH + " units");
            }
        }
        return widths;
    }

    private static VerticalModelDefinition.Policy policy(VerticalModelDefinition.Policy policy, FieldErrors errors) {
        if (errors.require("policy", policy) == null) {
            return null;
        }
        Long deadline = errors.require("policy.roundDeadlineSeconds", policy.roundDeadlineSeconds());
        if (deadline != null && (deadline < 1 || deadline > MAX_ROUND_DEADLINE_SECONDS)) {
            errors.add("policy.roundDeadlineSeconds", "must be 1…" + MAX_ROUND_DEADLINE_SECONDS + " (30 days)");
        }
        if (policy.rounds() != null && (policy.rounds() < 1 || policy.rounds() > MAX_ROUNDS)) {
            errors.add("policy.rounds", "must be 1…" + MAX_ROUNDS + " (or absent: rounds go on)");
        }
        return policy;
    }

    private static VerticalModelDefinition.Training training(VerticalModelDefinition.Training training,
            FieldErrors errors) {
        if (errors.require("training", training) == null) {
            return null;
        }
        Integer batchSize = errors.require("training.batchSize", training.batchSize());
        if (batchSize != null && (batchSize < 1 || batchSize > MAX_BATCH_SIZE)) {
            errors.add("training.batchSize", "must be 1…" + MAX_BATCH_SIZE);
        }
        Integer windows = errors.require("training.windows", training.windows());
        if (windows != null && (windows < 1 || windows > MAX_WINDOWS)) {
            errors.add("training.windows", "must be 1…" + MAX_WINDOWS + " batch windows per round");
        }
        String optimizer = training.optimizer() == null ? "sgd" : training.optimizer();
        boolean adam = optimizer.equals("adam");
        if (!adam && !optimizer.equals("sgd")) {
            errors.add("training.optimizer", "must be sgd or adam, was '" + ResourceIds.printable(optimizer) + "'");
        }
        double learningRate = training.learningRate() == null ? 0.01 : training.learningRate();
        // Every party steps in float: a rate that rounds to 0 (or overflows) as a float would be refused there.
        if (!((float) learningRate > 0) || Float.isInfinite((float) learningRate)) {
            errors.add("training.learningRate", "must be a positive number (as a 32-bit float)");
        }
        Double beta1 = training.beta1();
        Double beta2 = training.beta2();
        Double epsilon = training.epsilon();
        if (!adam) {
            for (var extra : List.of(Map.entry("beta1", beta1 != null), Map.entry("beta2", beta2 != null),
                    Map.entry("epsilon", epsilon != null))) {
                if (extra.getValue()) {
                    errors.add("training." + extra.getKey(), "only applies with optimizer adam");
                }
            }
        } else {
            beta1 = beta1 == null ? 0.9 : beta1;
            beta2 = beta2 == null ? 0.999 : beta2;
            epsilon = epsilon == null ? 1e-8 : epsilon;
            if (beta1 < 0 || beta1 >= 1) {
                errors.add("training.beta1", "must be in [0, 1)");
            }
            if (beta2 < 0 || beta2 >= 1) {
                errors.add("training.beta2", "must be in [0, 1)");
            }
            if (!((float) (double) epsilon > 0)) {
                errors.add("training.epsilon", "must be a positive number (as a 32-bit float)");
            }
        }
        long seed = training.seed() == null ? 0 : training.seed();
        return new VerticalModelDefinition.Training(batchSize, windows, seed, optimizer, learningRate, beta1, beta2,
                epsilon);
    }
}
