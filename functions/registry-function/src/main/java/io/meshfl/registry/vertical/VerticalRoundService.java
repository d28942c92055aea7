package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalOutcomeResult;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.DatabaseClock;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Vertical rounds: opening round 1, handing out a round with the settings a function needs, and recording how a
 * round ended. The outcome follows the object store's {@code outcome.json} rule: the first one recorded wins (the
 * round's row is locked while it is judged), and it opens the next round in the same transaction, from the version the
 * ended round leaves (a COMPLETED round's new states, a FAILED round's own base).
 */
@ApplicationScoped
public class VerticalRoundService {

    static final int MAX_REASON = 10_000;

    private final VerticalModelService models;
    private final DatabaseClock clock;
    private final RoundEvents events;

    public VerticalRoundService(VerticalModelService models, DatabaseClock clock, RoundEvents events) {
        this.models = models;
        this.clock = clock;
        this.events = events;
    }

    /** Opens round 1 (governance); 409 with the current round if the model has one already. */
    public Uni<VerticalRoundView> open(Caller caller, String modelId) {
        return Panache.withTransaction(() -> VerticalModel.<VerticalModel>findById(modelId,
                        LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> Problem.notFound("No vertical model '" + modelId + "'"))
                .chain(model -> latest(modelId).chain(existing -> {
                    if (existing != null) {
                        throw Problem.conflict("Vertical model '" + modelId + "' already has round " + existing.number
                                + " (" + existing.state + "); each outcome opens the next round", "round",
                                VerticalRoundViews.round(existing, caller));
                    }
                    VerticalModelDefinition definition = models.definition(model, List.of(), caller);
                    return VerticalModelService.parties(modelId).chain(parties -> Domain.<Domain>list("id in ?1",
                                    parties.stream().map(p -> p.domainId).toList()))
                            .chain(domains -> {
                                startable(model, domains);
                                return openRound(model, definition, 1, 1, null);
                            });
                })
                .chain(round -> withSettings(caller, model, round))));
    }

    public Uni<VerticalRoundView> current(Caller caller, String modelId) {
        return Panache.withSession(() -> readable(caller, modelId).chain(model -> latest(modelId)
                .onItem().ifNull().failWith(() -> Problem.notFound("Vertical model '" + modelId
                        + "' has no round yet (the governance opens round 1)"))
                .chain(round -> withSettings(caller, model, round))));
    }

    public Uni<VerticalRoundView> round(Caller caller, String modelId, int number) {
        return Panache.withSession(() -> readable(caller, modelId).chain(model -> numbered(modelId, number)
                .onItem().ifNull().failWith(() -> Problem.notFound("Vertical model '" + modelId + "' has no round "
                        + number))
                .chain(round -> withSettings(caller, model, round))));
    }

    /** Every round, oldest first, without the settings: the model's lineage. */
    public Uni<List<VerticalRoundView>> list(Caller caller, String modelId) {
        return Panache.withSession(() -> readable(caller, modelId).chain(model -> VerticalRound
                .<VerticalRound>list("modelId = ?1 order by number", modelId)
                .map(rounds -> rounds.stream().map(r -> VerticalRoundViews.round(r, caller)).toList())));
    }

    /** The model's versions: the initial parameters, then one per COMPLETED round, with what it trained on. */
    public Uni<List<VerticalVersionView>> versions(String modelId) {
        return Panache.withSession(() -> VerticalModelService.find(modelId).chain(model -> VerticalRound
                .<VerticalRound>list("modelId = ?1 and state = ?2 order by number", modelId,
                        VerticalRoundState.COMPLETED)
                .map(completed -> {
                    List<VerticalVersionView> versions = new java.util.ArrayList<>();
                    versions.add(new VerticalVersionView(1, null, null, null));
                    completed.forEach(round -> versions.add(new VerticalVersionView(round.producedVersion,
                            round.number, round.baseVersion, new java.util.TreeMap<>(VerticalRoundViews.versions(round)))));
                    return versions;
                })));
    }

    /**
     * OPEN rounds past their deadline on the database's clock, with their settings: what a scheduled sweeper runs the
     * vertical module's {@code DeadlineSweep} on (it settles {@code outcome.json} and reports it with the outcome call).
     * A domain token sees only the rounds of models whose head it runs (no label sharing): those are the rounds it may
     * record an outcome for, and the only ones its sweep can settle.
     */
    public Uni<List<VerticalRoundView>> due(Caller caller) {
        return Panache.withSession(() -> clock.now().chain(now -> caller.isDomainOnly()
                        ? VerticalRound.<VerticalRound>list("state = ?1 and deadline <= ?2 and modelId in (select m.id"
                                + " from VerticalModel m where m.labelOwner = ?3) order by deadline, id",
                                VerticalRoundState.OPEN, now, caller.domain())
                        : VerticalRound.<VerticalRound>list("state = ?1 and deadline <= ?2 order by deadline, id",
                                VerticalRoundState.OPEN, now))
                .chain(rounds -> {
                    if (rounds.isEmpty()) {
                        return Uni.createFrom().item(List.<VerticalRoundView>of());
                    }
                    List<String> ids = rounds.stream().map(r -> r.modelId).distinct().toList();
                    return VerticalModel.<VerticalModel>list("id in ?1", ids).chain(found -> VerticalParty
                            .<VerticalParty>list("modelId in ?1 order by id", ids).map(parties -> rounds.stream()
                                    .map(round -> {
                                        VerticalModel model = found.stream().filter(m -> m.id.equals(round.modelId))
                                                .findFirst().orElseThrow();
                                        return VerticalRoundViews.settings(round, model,
                                                models.definition(model, List.of(), caller),
                                                parties.stream().filter(p -> p.modelId.equals(round.modelId))
                                                        .toList(), null, null, caller);
                                    })
                                    .toList()));
                }));
    }

    /**
     * Records the round's outcome once; every later call (the same outcome redelivered, or a different one that lost
     * the race, as in the object store) gets {@code recorded: false} and the round as the first outcome left it.
     */
    public Uni<VerticalOutcomeResult> recordOutcome(Caller caller, String modelId, int number,
            VerticalOutcomeRequest outcome) {
        return Panache.withTransaction(() -> VerticalModelService.find(modelId).chain(model -> {
            // labelOwner is the head's owner: 'governance' (labels shared: the federation's head function records,
            // with a function token) or the one domain that holds labels and head. A domain token records only for a
            // model whose head it runs; the label source of a governance-headed model, or any other party, does not
            // (review 5, finding 4): its early outcome would otherwise win for a round it never stepped.
            if (caller.isDomainOnly() && !model.labelOwner.equals(caller.domain())) {
                throw Problem.forbidden("Only the head's owner ('" + model.labelOwner + "', with a function token if "
                        + "that is the governance) or a function records how a round of vertical model '" + modelId
                        + "' ended, not domain '" + caller.domain() + "'");
            }
            VerticalRoundState status = shape(outcome);
            return VerticalModelService.parties(modelId).chain(parties -> VerticalRound.<VerticalRound>find(
                            "modelId = ?1 and number = ?2", modelId, number)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult()
                    .onItem().ifNull().failWith(() -> Problem.notFound("Vertical model '" + modelId
                            + "' has no round " + number))
                    .chain(round -> {
                        againstRound(outcome, status, round, parties);
                        if (round.state != VerticalRoundState.OPEN) {
                            return numbered(modelId, number + 1).map(next -> new VerticalOutcomeResult(false,
                                    VerticalRoundViews.round(round, caller),
                                    next == null ? null : VerticalRoundViews.round(next, caller)));
                        }
                        return settle(caller, model, round, status, outcome);
                    }));
        }));
    }

    private Uni<VerticalOutcomeResult> settle(Caller caller, VerticalModel model, VerticalRound round,
            VerticalRoundState status, VerticalOutcomeRequest outcome) {
        VerticalModelDefinition definition = models.definition(model, List.of(), caller);
        return clock.now().chain(now -> {
            round.state = status;
            round.closedAt = now;
            round.outcomeBy = caller.subject();
            if (status == VerticalRoundState.COMPLETED) {
                round.producedVersion = round.baseVersion + 1;
            } else {
                round.failedWindow = outcome.window();
                round.missing = outcome.missing() == null ? List.of() : List.copyOf(outcome.missing());
                round.failureReason = outcome.reason();
            }
            boolean completed = status == VerticalRoundState.COMPLETED;
            Uni<Void> announced = events.record(completed ? RoundEvents.VERTICAL_ROUND_COMPLETED
                    : RoundEvents.VERTICAL_ROUND_FAILED, model.id, round.number, VerticalRoundViews.round(round, null));
            Integer rounds = definition.policy().rounds();
            if (rounds != null && round.number >= rounds) {
                return announced.replaceWith(new VerticalOutcomeResult(true, VerticalRoundViews.round(round, caller),
                        null));
            }
            return announced.chain(() -> openRound(model, definition, round.number + 1,
                            completed ? round.producedVersion : round.baseVersion,
                            completed ? Integer.valueOf(round.number) : round.startsFromRound))
                    .map(next -> new VerticalOutcomeResult(true, VerticalRoundViews.round(round, caller),
                            VerticalRoundViews.round(next, caller)));
        });
    }

    /**
     * Refuses (409) to open round 1 of a model whose rounds the parties could not start from the registry alone: no
     * PSI session, or a party or governance-side head without a public key to verify its signatures with.
     */
    private static void startable(VerticalModel model, List<Domain> domains) {
        List<String> lacking = new java.util.ArrayList<>();
        if (model.psiSession == null) {
            lacking.add("a PSI session (psiSession)");
        }
        if (VerticalRoundView.GOVERNANCE.equals(model.labelOwner) && model.headPublicKey == null) {
            lacking.add("the governance-side head's public key (headPublicKey)");
        }
        domains.stream().filter(d -> d.publicKey == null).map(d -> d.id).sorted()
                .forEach(d -> lacking.add("a public key of domain '" + d + "' (PATCH /domains/" + d + ")"));
        if (!lacking.isEmpty()) {
            throw Problem.conflict("Vertical model '" + model.id + "' cannot open a round: its parties and head start"
                    + " and verify rounds from the registry, which has no " + String.join(", ", lacking)
                    + " (PATCH /vertical-models/" + model.id + " sets the model's)");
        }
    }

    private Uni<VerticalRound> openRound(VerticalModel model, VerticalModelDefinition definition, int number,
            int baseVersion, Integer startsFromRound) {
        // The lineage names the version of each party's product the round trains on: the one current when it opens.
        return VerticalModelService.parties(model.id).chain(parties -> DataProduct.<DataProduct>list("id in ?1",
                        parties.stream().map(p -> p.dataProductId).toList())
                .map(products -> parties.stream().collect(Collectors.toMap(p -> p.domainId, p -> products.stream()
                        .filter(d -> d.id.equals(p.dataProductId)).findFirst().map(d -> d.version)
                        .orElse(p.dataProductVersion))))
                .chain(versions -> Domain.<Domain>list("id in ?1", parties.stream().map(p -> p.domainId).toList())
                        .map(domains -> new Opening(versions, keys(model, domains)))))
                .chain(opening -> clock.now().chain(now -> {
            VerticalRound round = new VerticalRound();
            round.dataProductVersions = VerticalRoundViews.versionsJson(opening.versions());
            // What the parties and the head start and verify the round with: the keys as they are now, so a key
            // changed later applies from the next round and never to this one's signatures.
            round.psiSession = model.psiSession;
            round.publicKeys = VerticalRoundViews.versionsJson(opening.keys());
            round.modelId = model.id;
            round.number = number;
            round.state = VerticalRoundState.OPEN;
            round.windows = definition.training().windows();
            round.baseVersion = baseVersion;
            round.startsFromRound = startsFromRound;
            round.openedAt = now;
            round.deadline = now.plus(Duration.ofSeconds(definition.policy().roundDeadlineSeconds()));
            return round.<VerticalRound>persist().call(saved -> Panache.getSession().chain(session -> session.flush()))
                    .call(saved -> events.record(RoundEvents.VERTICAL_ROUND_OPENED, model.id, number,
                            VerticalRoundViews.round(saved, null)));
        }));
    }

    /** What a round opens with besides its settings: the parties' product versions and every signer's key. */
    private record Opening(Map<String, String> versions, Map<String, String> keys) {
    }

    /** Every party's registered key, and the governance-side head's (labels shared; a domain head is a party). */
    private static Map<String, String> keys(VerticalModel model, List<Domain> domains) {
        Map<String, String> keys = new java.util.TreeMap<>();
        domains.stream().filter(d -> d.publicKey != null).forEach(d -> keys.put(d.id, d.publicKey));
        if (VerticalRoundView.GOVERNANCE.equals(model.labelOwner) && model.headPublicKey != null) {
            keys.put(VerticalRoundView.GOVERNANCE, model.headPublicKey);
        }
        return keys;
    }

    /** The status, after checking the outcome's own shape (400 naming each bad field; the caller may record one). */
    private static VerticalRoundState shape(VerticalOutcomeRequest outcome) {
        if (outcome == null) {
            throw Problem.invalid("body", "is required: {status, window, missing, reason}");
        }
        FieldErrors errors = new FieldErrors();
        VerticalRoundState status = errors.require("status", outcome.status());
        if (status == VerticalRoundState.OPEN) {
            errors.add("status", "must be COMPLETED or FAILED: an outcome ends the round");
        }
        if (outcome.window() != null && outcome.window() < 0) {
            errors.add("window", "must be a window number (0 or more)");
        }
        if (status == VerticalRoundState.COMPLETED && outcome.missing() != null && !outcome.missing().isEmpty()) {
            errors.add("missing", "must be empty for a COMPLETED round: every party sent every window");
        }
        if (status == VerticalRoundState.FAILED) {
            errors.require("window", outcome.window());
            String reason = errors.require("reason", outcome.reason());
            if (reason != null && reason.length() > MAX_REASON) {
                errors.add("reason", "must be at most " + MAX_REASON + " characters");
            }
        }
        errors.throwIfAny();
        return status;
    }

    /** Checks the outcome against the round it ends: its number of windows and its parties. */
    private static void againstRound(VerticalOutcomeRequest outcome, VerticalRoundState status, VerticalRound round,
            List<VerticalParty> parties) {
        FieldErrors errors = new FieldErrors();
        Integer window = outcome.window();
        if (status == VerticalRoundState.COMPLETED && window != null && window != round.windows) {
            errors.add("window", "a COMPLETED round stepped all its " + round.windows + " windows, so window is "
                    + round.windows + " (or absent); was " + window);
        }
        if (status == VerticalRoundState.FAILED && window != null && window >= round.windows) {
            errors.add("window", "round " + round.number + " has windows 0…" + (round.windows - 1) + "; was " + window);
        }
        if (outcome.missing() != null) {
            Set<String> partyIds = new HashSet<>(parties.stream().map(p -> p.domainId).toList());
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < outcome.missing().size(); i++) {
                String missing = outcome.missing().get(i);
                if (missing == null || !partyIds.contains(missing)) {
                    errors.add("missing[" + i + "]", "'" + missing + "' is not a party of vertical model '"
                            + round.modelId + "' " + partyIds.stream().sorted().toList());
                } else if (!seen.add(missing)) {
                    errors.add("missing[" + i + "]", "names '" + missing + "' twice");
                }
            }
        }
        errors.throwIfAny();
    }

    /** The model, if the caller may read its rounds: governance, functions, and the model's parties. */
    private static Uni<VerticalModel> readable(Caller caller, String modelId) {
        return VerticalModelService.find(modelId).chain(model -> {
            if (!caller.isDomainOnly()) {
                return Uni.createFrom().item(model);
            }
            return VerticalParty.count("modelId = ?1 and domainId = ?2", modelId, caller.domain()).map(n -> {
                if (n == 0) {
                    throw VerticalModelService.notAParty(caller, modelId);
                }
                return model;
            });
        });
    }

    private Uni<VerticalRoundView> withSettings(Caller caller, VerticalModel model, VerticalRound round) {
        VerticalModelDefinition definition = models.definition(model, List.of(), caller);
        return VerticalModelService.parties(model.id).chain(parties -> {
            VerticalParty own = caller.isDomainOnly()
                    ? parties.stream().filter(p -> p.domainId.equals(caller.domain())).findFirst().orElse(null)
                    : null;
            if (own == null) {
                return Uni.createFrom().item(VerticalRoundViews.settings(round, model, definition, parties, null,
                        null, caller));
            }
            return DataProduct.<DataProduct>findById(own.dataProductId).map(product ->
                    VerticalRoundViews.settings(round, model, definition, parties, own, product, caller));
        });
    }

    private static Uni<VerticalRound> latest(String modelId) {
        return VerticalRound.<VerticalRound>find("modelId = ?1 order by number desc", modelId).firstResult();
    }

    private static Uni<VerticalRound> numbered(String modelId, int number) {
        return VerticalRound.<VerticalRound>find("modelId = ?1 and number = ?2", modelId, number).firstResult();
    }
}
