package io.meshfl.training.vertical;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.scoring.HeadScoring;
import io.meshfl.vertical.scoring.PartyScoring;
import io.meshfl.vertical.scoring.ScoringKeys;
import io.meshfl.vertical.scoring.ScoringOutcome;
import io.meshfl.vertical.scoring.ScoringRequest;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import io.meshfl.vertical.step.RoundOutcome;
import io.meshfl.vertical.step.StepTensors;
import io.meshfl.vertical.step.VerticalRound;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A training function's side of a scoring ({@code io.meshfl.vertical.scoring}), on the object events of
 * {@code models/{m}/scorings/{s}/...}: a request reaches every party of its PSI session, which answers with its
 * embeddings at the requested version (or a refusal); a party's embeddings or refusal reach the head owner, which
 * scores once every party has answered. Everything is read from the store: the request, the round's and the session's
 * settings, the party's alignment and rows, the round's outcome (a version exists only for a COMPLETED round, whose
 * head-signed outcome records its number of windows, the version's state key). The round must also be one the
 * registry records COMPLETED (one more {@code GET} of the round, as the round settings' check makes): a party refuses
 * the request and the head fails the scoring otherwise, naming the registry's state. The head reports the outcome it
 * settled to the registry ({@code POST /vertical-models/{m}/scorings/{s}/outcome}).
 */
final class VerticalScoring {

    private final ObjectStore store;
    private final VerticalSettingsSource settings;
    private final String domain;
    private final UpdateSigner signer;
    private final RegisteredVerticalRounds registry;
    private final java.util.function.Function<PsiSessionSettings, PartyRows> rows;

    /** @param rows this party's rows of a PSI session (the training steps' cache of them) */
    VerticalScoring(ObjectStore store, VerticalSettingsSource settings, String domain, UpdateSigner signer,
            RegisteredVerticalRounds registry, java.util.function.Function<PsiSessionSettings, PartyRows> rows) {
        this.store = store;
        this.settings = settings;
        this.domain = domain;
        this.signer = signer;
        this.registry = registry;
        this.rows = rows;
    }

    /** What this deployment did for a scoring object: its report action and detail. */
    record Done(String action, String detail) {
    }

    Done onObject(ScoringKeys.ScoringKey key) {
        ScoringRequest request;
        try {
            Optional<ScoringRequest> stored = ScoringRequest.read(store, key.model(), key.scoring());
            if (stored.isEmpty()) {
                return new Done("ignored", "scoring '" + key.scoring() + "' of model '" + key.model()
                        + "' has no request");
            }
            request = stored.get();
        } catch (IllegalArgumentException e) {
            throw new VerticalRefusal(e.getMessage(), e);
        }
        PsiSessionSettings ps = settings.session(request.model(), request.session()).orElseThrow(() ->
                new VerticalRefusal("Scoring '" + request.scoring() + "' names PSI session '" + request.session()
                        + "' of model '" + request.model() + "', which is not declared"));
        RoundSettings rs = settings.round(request.model(), request.round()).orElseThrow(() ->
                new VerticalRefusal("Scoring '" + request.scoring() + "' asks for the version of round "
                        + request.round() + " of model '" + request.model() + "', which is not declared"));
        if (!rs.session().equals(request.session())) {
            throw new VerticalRefusal("Scoring '" + request.scoring() + "' names PSI session '" + request.session()
                    + "', round " + request.round() + " trained on '" + rs.session() + "'");
        }
        VerticalRound round = round(request, rs, ps);
        if (key.kind() == ScoringKeys.Kind.REQUEST) {
            if (!ps.parties().containsKey(domain)) {
                return new Done("ignored", "'" + domain + "' is not a party of PSI session '" + ps.session() + "'");
            }
            return new Done("scoring-party", party(request, rs, ps, round, notCompleted(request)));
        }
        if (!ps.headOwner().equals(domain)) {
            return new Done("ignored", "the head of model '" + request.model() + "' is '" + ps.headOwner()
                    + "'s, this function serves '" + domain + "'");
        }
        return new Done("scoring-head", head(request, rs, ps, round, notCompleted(request)));
    }

    /** Why the registry's round is no version to score with, unless it records the round COMPLETED. */
    private Optional<String> notCompleted(ScoringRequest request) {
        VerticalRoundView registered = registry.round(request.model(), request.round());
        if (registered.state() == VerticalRoundState.COMPLETED) {
            return Optional.empty();
        }
        return Optional.of("the registry records round " + request.round() + " of model '" + request.model() + "' as "
                + registered.state() + ": only a COMPLETED round's version is scored");
    }

    private String party(ScoringRequest request, RoundSettings rs, PsiSessionSettings ps, VerticalRound round,
            Optional<String> notCompleted) {
        PartyRows rows = this.rows.apply(ps);
        Optional<EntityAlignment> alignment = new PartyPsi(store, ps, domain).stored();
        if (alignment.isEmpty()) {
            throw new VerticalRefusal("'" + domain + "' has no alignment of PSI session '" + ps.session()
                    + "': it cannot look up the pseudonyms of scoring '" + request.scoring() + "'");
        }
        try (BottomModel bottom = new BottomModel(domain, rows.columns(), rs.bottomLayers())) {
            PartyScoring scoring = new PartyScoring(domain, rows.aligned(alignment.get()), bottom, signer,
                    rs.verifier(ps.headOwner()));
            PartyScoring.Result result = notCompleted.isPresent() ? scoring.refuse(store, request, notCompleted.get())
                    : scoring.answer(store, request, round);
            return switch (result) {
                case EMBEDDED -> "embedded " + request.pseudonyms().size() + " entities at round " + request.round();
                case REFUSED -> "refused (the head records why)";
                case ALREADY_ANSWERED -> "already answered";
                case WAITING_FOR_OWN_STATE -> "waiting: this party's last state of round " + request.round()
                        + " is not stored yet";
            };
        }
    }

    private String head(ScoringRequest request, RoundSettings rs, PsiSessionSettings ps, VerticalRound round,
            Optional<String> notCompleted) {
        Map<String, SignatureVerifier> partyKeys = new LinkedHashMap<>();
        ps.parties().keySet().forEach(party -> partyKeys.put(party, rs.verifier(party)));
        List<Integer> widths = Collections.nCopies(ps.parties().size(),
                rs.bottomLayers().get(rs.bottomLayers().size() - 1));
        try (HeadModel model = new HeadModel(widths, rs.headLayers())) {
            HeadScoring scoring = new HeadScoring(model, signer, rs.verifier(ps.headOwner()), partyKeys);
            HeadScoring.Progress progress = notCompleted.isPresent()
                    ? scoring.fail(store, request, notCompleted.get()) : scoring.advance(store, request, round);
            if (progress instanceof HeadScoring.Progress.Waiting waiting) {
                return "waiting for " + waiting.parties();
            }
            ScoringOutcome outcome = ((HeadScoring.Progress.Settled) progress).outcome();
            return (outcome.failed() ? "FAILED: " + outcome.reason()
                    : "DONE: " + outcome.count() + " scores at " + outcome.scoresKey()) + recorded(outcome);
        }
    }

    /**
     * The head reports the settled outcome to the registry (as it records round outcomes), every time it sees it: a
     * redelivery repeats a recording the registry answers {@code recorded: false}. A scoring the registry refuses to
     * record (one it never recorded: the request was written without it) stays settled in the store; that is reported,
     * not retried. An unreachable registry is thrown, so the event is retried.
     */
    private String recorded(ScoringOutcome outcome) {
        try {
            return registry.record(outcome).recorded() ? "; recorded in the registry" : "; was in the registry already";
        } catch (VerticalRefusal e) {
            return "; not recorded in the registry: " + e.getMessage();
        }
    }

    /**
     * The round whose final state is the requested version. Its number of windows is what its COMPLETED outcome
     * records; for a round that did not complete (or whose outcome the head owner did not sign) there is no version,
     * which the scoring steps refuse, naming why, before they use a window (1 stands in).
     */
    private VerticalRound round(ScoringRequest request, RoundSettings rs, PsiSessionSettings ps) {
        Optional<RoundOutcome> outcome;
        try {
            outcome = RoundOutcome.read(store, request.model(), request.round(), rs.verifier(ps.headOwner()));
        } catch (StepTensors.StepRejectedException e) {
            outcome = Optional.empty();
        }
        int windows = outcome.filter(o -> !o.failed()).map(RoundOutcome::window).orElse(1);
        return new VerticalRound(request.model(), request.round(), List.copyOf(ps.parties().keySet()),
                ps.headOwner(), windows, rs.deadlineInstant(), rs.optimiser().optimiser());
    }
}
