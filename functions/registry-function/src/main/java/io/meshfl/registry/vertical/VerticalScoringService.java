package io.meshfl.registry.vertical;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import io.meshfl.core.keys.ScoringDigest;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalScoringOutcome;
import io.meshfl.registry.api.VerticalScoringOutcomeResult;
import io.meshfl.registry.api.VerticalScoringRequest;
import io.meshfl.registry.api.VerticalScoringView;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.DatabaseClock;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Scorings of vertical models: recording a request (checked: the version exists, the pseudonyms are pseudonyms),
 * answering its state, and recording how it ended. The registry holds no object-store credentials: it hands back the
 * request object, which the governance side writes to {@code models/{m}/scorings/{s}/request.json} as it writes a
 * round's settings; the head settles {@code outcome.json} and reports it here (the first outcome wins, as in the store).
 */
@ApplicationScoped
public class VerticalScoringService {

    /** As the vertical module's ScoringRequest.MAX_PSEUDONYMS. */
    static final int MAX_PSEUDONYMS = 100_000;
    private static final int MAX_REASON = 10_000;
    private static final Pattern PSEUDONYM = Pattern.compile("[0-9a-f]{64}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DatabaseClock clock;

    public VerticalScoringService(DatabaseClock clock) {
        this.clock = clock;
    }

    /** Records a scoring (governance); 400 naming the field for any bad input, nothing stored. */
    public Uni<VerticalScoringView> request(Caller caller, String modelId, VerticalScoringRequest body) {
        List<String> sorted = shape(body);
        return Panache.withTransaction(() -> VerticalModelService.find(modelId).chain(model -> VerticalRound
                .<VerticalRound>list("modelId = ?1 and state = ?2 order by number", modelId,
                        VerticalRoundState.COMPLETED)
                .chain(completed -> {
                    VerticalRound producer = producer(modelId, body.version(), completed);
                    VerticalScoring scoring = new VerticalScoring();
                    scoring.modelId = modelId;
                    scoring.scoringId = "s-" + UUID.randomUUID();
                    scoring.session = body.session();
                    scoring.version = producer.producedVersion;
                    scoring.round = producer.number;
                    scoring.pseudonyms = json(sorted);
                    scoring.count = sorted.size();
                    scoring.digest = ScoringDigest.of(modelId, scoring.scoringId, scoring.session, scoring.round,
                            sorted);
                    scoring.state = VerticalScoring.State.PENDING;
                    scoring.requestedBy = caller.subject();
                    return clock.now().chain(now -> {
                        scoring.requestedAt = now;
                        return scoring.<VerticalScoring>persist();
                    }).map(saved -> view(saved, sorted));
                })));
    }

    /** A scoring's state: governance, functions, and the model's label owner (who may also request through governance). */
    public Uni<VerticalScoringView> get(Caller caller, String modelId, String scoringId) {
        return Panache.withSession(() -> VerticalModelService.find(modelId).chain(model -> {
            requireHeadSide(caller, model, "read scoring '" + scoringId + "'");
            return find(modelId, scoringId, false).map(s -> view(s, null));
        }));
    }

    /**
     * The scoring as the registry answers it; {@code pseudonyms} (sorted) only in the answer that creates it, which
     * then carries the request object the governance side writes.
     */
    static VerticalScoringView view(VerticalScoring s, List<String> pseudonyms) {
        java.util.Map<String, Object> request = pseudonyms == null ? null : new java.util.LinkedHashMap<>();
        if (request != null) {
            request.put("version", 1);
            request.put("model", s.modelId);
            request.put("scoring", s.scoringId);
            request.put("session", s.session);
            request.put("round", s.round);
            request.put("pseudonyms", pseudonyms);
            request.put("digest", s.digest);
        }
        return new VerticalScoringView(s.scoringId, s.modelId, s.session, s.version, s.round, s.count, s.digest,
                ObjectKeys.scoringRequest(s.modelId, s.scoringId), ObjectKeys.scoringOutcome(s.modelId, s.scoringId),
                s.state.name(), s.reason, s.scoresKey, s.requestedAt == null ? null : s.requestedAt.toInstant(),
                s.closedAt == null ? null : s.closedAt.toInstant(), request);
    }

    /** Records how the scoring ended, once (functions, governance, the head's owner). */
    public Uni<VerticalScoringOutcomeResult> recordOutcome(Caller caller, String modelId, String scoringId,
            VerticalScoringOutcome outcome) {
        return Panache.withTransaction(() -> VerticalModelService.find(modelId).chain(model -> {
            requireHeadSide(caller, model, "record how scoring '" + scoringId + "' ended");
            return find(modelId, scoringId, true).chain(scoring -> {
                VerticalScoring.State status = outcomeShape(outcome, scoring);
                if (scoring.state != VerticalScoring.State.PENDING) {
                    return Uni.createFrom().item(new VerticalScoringOutcomeResult(false, view(scoring, null)));
                }
                return clock.now().map(now -> {
                    scoring.state = status;
                    scoring.scoresKey = status == VerticalScoring.State.DONE ? outcome.scoresKey() : null;
                    scoring.reason = status == VerticalScoring.State.FAILED ? outcome.reason() : null;
                    scoring.closedAt = now;
                    scoring.outcomeBy = caller.subject();
                    return new VerticalScoringOutcomeResult(true, view(scoring, null));
                });
            });
        }));
    }

    private static List<String> shape(VerticalScoringRequest body) {
        if (body == null) {
            throw Problem.invalid("body", "is required: {session, version, pseudonyms}");
        }
        FieldErrors errors = new FieldErrors();
        if (body.session() == null || !ResourceId.isValid(body.session())) {
            errors.add("session", "must name the PSI session whose pseudonyms are scored (" + ResourceId.RULE + ")");
        }
        if (body.version() != null && body.version() < 2) {
            errors.add("version", "must be a version a completed round produced (2 or more; version 1 is the initial"
                    + " parameters), got " + body.version());
        }
        List<String> pseudonyms = body.pseudonyms();
        if (pseudonyms == null || pseudonyms.isEmpty()) {
            errors.add("pseudonyms", "no pseudonym to score");
        } else if (pseudonyms.size() > MAX_PSEUDONYMS) {
            errors.add("pseudonyms", pseudonyms.size() + " pseudonyms, at most " + MAX_PSEUDONYMS + " per scoring");
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < pseudonyms.size(); i++) {
                String p = pseudonyms.get(i);
                if (p == null || !PSEUDONYM.matcher(p).matches()) {
                    errors.add("pseudonyms[" + i + "]", "is not a pseudonym (64 lower-case hex digits, as the PSI"
                            + " alignment names entities)");
                } else if (!seen.add(p)) {
                    errors.add("pseudonyms[" + i + "]", "is named twice");
                }
            }
        }
        errors.throwIfAny();
        return pseudonyms.stream().sorted().toList();
    }

    private static VerticalRound producer(String modelId, Integer version, List<VerticalRound> completed) {
        if (completed.isEmpty()) {
            throw Problem.conflict("Vertical model '" + modelId + "' has no version a round produced yet: nothing"
                    + " to score with");
        }
        if (version == null) {
            return completed.get(completed.size() - 1);
        }
        return completed.stream().filter(r -> r.producedVersion != null && r.producedVersion.intValue() == version)
                .findFirst().orElseThrow(() -> Problem.invalid("version", "vertical model '" + modelId
                        + "' has no version " + version + "; completed rounds produced "
                        + completed.stream().map(r -> r.producedVersion).toList()));
    }

    private static VerticalScoring.State outcomeShape(VerticalScoringOutcome outcome, VerticalScoring scoring) {
        if (outcome == null || outcome.status() == null) {
            throw Problem.invalid("status", "must be DONE or FAILED");
        }
        FieldErrors errors = new FieldErrors();
        VerticalScoring.State status = switch (outcome.status()) {
            case "DONE" -> VerticalScoring.State.DONE;
            case "FAILED" -> VerticalScoring.State.FAILED;
            default -> {
                errors.add("status", "must be DONE or FAILED, got '" + outcome.status() + "'");
                yield null;
            }
        };
        String scores = ObjectKeys.scoringScores(scoring.modelId, scoring.scoringId);
        if (status == VerticalScoring.State.DONE && !scores.equals(outcome.scoresKey())) {
            errors.add("scoresKey", "must be '" + scores + "' for DONE");
        }
        if (status == VerticalScoring.State.FAILED && (outcome.reason() == null || outcome.reason().isBlank()
                || outcome.reason().length() > MAX_REASON)) {
            errors.add("reason", "is required for FAILED (at most " + MAX_REASON + " characters)");
        }
        errors.throwIfAny();
        return status;
    }

    private static void requireHeadSide(Caller caller, VerticalModel model, String what) {
        if (caller.isDomainOnly() && !model.labelOwner.equals(caller.domain())) {
            throw Problem.forbidden("Only the governance, a function or the head's owner ('" + model.labelOwner
                    + "') may " + what + " of vertical model '" + model.id + "', not domain '" + caller.domain() + "'");
        }
    }

    private static Uni<VerticalScoring> find(String modelId, String scoringId, boolean lock) {
        var query = VerticalScoring.<VerticalScoring>find("modelId = ?1 and scoringId = ?2", modelId, scoringId);
        return (lock ? query.withLock(LockModeType.PESSIMISTIC_WRITE) : query).firstResult()
                .onItem().ifNull().failWith(() -> Problem.notFound("Vertical model '" + modelId + "' has no scoring '"
                        + scoringId + "'"));
    }

    private static String json(List<String> pseudonyms) {
        try {
            return JSON.writeValueAsString(pseudonyms);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A list of strings is always JSON", e);
        }
    }
}
