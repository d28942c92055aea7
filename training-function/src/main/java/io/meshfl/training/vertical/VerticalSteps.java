package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.ObjectEventReader;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.DomainPrivateKey;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.training.function.TrainingConfig;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.psi.PsiProgress;
import io.meshfl.vertical.scoring.ScoringKeys;
import io.meshfl.vertical.split.BottomModel;
import io.meshfl.vertical.split.HeadModel;
import io.meshfl.vertical.step.AlignedLabels;
import io.meshfl.vertical.step.BottomStep;
import io.meshfl.vertical.step.HeadKeys;
import io.meshfl.vertical.step.HeadStep;
import io.meshfl.vertical.step.RoundOutcome;
import io.meshfl.vertical.step.StepOutcome;
import io.meshfl.vertical.step.StepTensors;
import io.meshfl.vertical.step.VerticalRound;
import io.meshfl.vertical.step.WindowPlan;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.jboss.logging.Logger;

/**
 * A training function's side of a vertical model, triggered by the registry's {@code meshfl.vround.opened} events
 * (a round starts) and by object-created events under {@code models/{m}/vrounds/...} (and the domain-owned head's
 * state): the deployment's domain is a party (PSI steps,
 * bottom steps) when the PSI session names it, and the head when the session's {@code headOwner} is its domain
 * ({@code governance} for the federation-side head deployment). Everything it acts on is read from the store and the
 * settings source; an event is only a hint of what to look at, so duplicated, late or reordered events change
 * nothing (the steps are exactly-once, {@code io.meshfl.vertical.step}).
 */
@ApplicationScoped
public class VerticalSteps {

    private static final Logger LOG = Logger.getLogger(VerticalSteps.class);

    private final ObjectStore store;
    private final VerticalSettingsSource settings;
    private final String domain;
    private final UpdateSigner signer;
    private final RegisteredVerticalRounds registry;
    private final VerticalDeadlineSweep deadlines;
    private final ObjectEventReader events = new ObjectEventReader();
    private final Clock clock = Clock.systemUTC();
    private final VerticalScoring scoring;
    /** A warm instance keeps the rows it read (keyed by the rows' key and ETag, so a replaced file is read again). */
    private final Map<String, PartyRows> rowsRead = Collections.synchronizedMap(new LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PartyRows> eldest) {
            return size() > 4;
        }
    });

    VerticalSteps(ObjectStore store, VerticalSettingsSource settings, TrainingConfig config,
            RegisteredVerticalRounds registry, VerticalDeadlineSweep deadlines) {
        this.store = store;
        this.settings = settings;
        this.registry = registry;
        this.deadlines = deadlines;
        this.domain = config.domain();
        this.signer = new UpdateSigner(DomainPrivateKey.parse(config.signingKey()));
        this.scoring = new VerticalScoring(store, settings, domain, signer, registry, this::rows);
    }

    /** Acts on every object the event reports created. */
    public VerticalReport onEvent(JsonNode event) {
        if (VerticalDeadlineSweep.isSweep(event)) {
            try {
                return deadlines.sweep();
            } catch (VerticalRefusal e) {
                LOG.errorf("Vertical deadline sweep refused: %s", e.getMessage());
                return new VerticalReport(List.of(new VerticalReport.Entry(null, "refused", e.getMessage())));
            }
        }
        Optional<VerticalRoundOpened> opened;
        try {
            opened = VerticalRoundOpened.read(event);
        } catch (VerticalRefusal e) {
            LOG.errorf("Refused a round-opened event: %s", e.getMessage());
            return new VerticalReport(List.of(new VerticalReport.Entry(null, "refused", e.getMessage())));
        }
        if (opened.isPresent()) {
            VerticalReport.Entry entry = onRoundOpened(opened.get());
            LOG.infof("%s: %s (%s)", entry.key(), entry.action(), entry.detail());
            return new VerticalReport(List.of(entry));
        }
        List<VerticalReport.Entry> entries = new ArrayList<>();
        for (ObjectCreated object : events.read(event)) {
            VerticalReport.Entry entry = onObject(object);
            LOG.infof("%s: %s (%s)", entry.key(), entry.action(), entry.detail());
            entries.add(entry);
        }
        return new VerticalReport(entries);
    }

    /**
     * The registry opened a round (round 1 by the governance, each later one when the previous outcome was recorded):
     * every party stores its first state and embeddings, the head its first state, from the registry's round read with
     * this function's own token. Only a round the registry has OPEN starts; the steps are write-once, so duplicate and
     * concurrent events start it once.
     */
    VerticalReport.Entry onRoundOpened(VerticalRoundOpened opened) {
        String key = opened.resource();
        try {
            VerticalRoundView registered;
            try {
                registered = registry.round(opened.model(), opened.number());
            } catch (VerticalRefusal e) {
                if (e.getCause() instanceof RegistryException refused && refused.status() == 403) {
                    // Every domain's function may hear every model's rounds (a Knative Trigger filters on type only).
                    return new VerticalReport.Entry(key, "ignored", "'" + domain + "' is not a party of vertical"
                            + " model '" + opened.model() + "' (the registry refuses it the round)");
                }
                throw e;
            }
            if (!registered.isOpen()) {
                return new VerticalReport.Entry(key, "ignored", "vertical round " + opened.number() + " of model '"
                        + opened.model() + "' is " + registered.state() + " in the registry: only an OPEN round starts");
            }
            return begin(key, opened.model(), opened.number());
        } catch (VerticalRefusal | StepTensors.StepRejectedException e) {
            LOG.errorf("Refused '%s': %s", key, e.getMessage());
            return new VerticalReport.Entry(key, "refused", e.getMessage());
        }
    }

    VerticalReport.Entry onObject(ObjectCreated object) {
        if (!object.bucket().equals(store.bucket())) {
            return entry(object, "ignored", "bucket '" + object.bucket() + "' is not this function's");
        }
        Optional<ScoringKeys.ScoringKey> scoringKey = ScoringKeys.parse(object.key());
        if (scoringKey.isPresent()) {
            try {
                VerticalScoring.Done done = scoring.onObject(scoringKey.get());
                return entry(object, done.action(), done.detail());
            } catch (VerticalRefusal e) {
                LOG.errorf("Refused '%s': %s", object.key(), e.getMessage());
                return entry(object, "refused", e.getMessage());
            }
        }
        Optional<VerticalObject> parsed = VerticalObject.parse(object.key());
        if (parsed.isEmpty()) {
            return entry(object, "ignored", "not a key a vertical step is triggered by");
        }
        try {
            return route(object, parsed.get());
        } catch (VerticalRefusal | StepTensors.StepRejectedException e) {
            // A forged or altered object (an outcome or step tensor the expected key did not sign) stays so: no retry.
            LOG.errorf("Refused '%s': %s", object.key(), e.getMessage());
            return entry(object, "refused", e.getMessage());
        }
    }

    private VerticalReport.Entry route(ObjectCreated object, VerticalObject target) {
        if (target instanceof VerticalObject.SessionDeclared s) {
            return psi(object, s.model(), s.session(), null);
        }
        if (target instanceof VerticalObject.BlindedSet s) {
            return psi(object, s.key().model(), s.key().session(), s);
        }
        if (target instanceof VerticalObject.Embedding e) {
            return head(object, e.model(), e.key().round(), e.key().window(), null);
        }
        if (target instanceof VerticalObject.HeadState h) {
            return head(object, h.model(), h.round(), h.window(), h.owner());
        }
        VerticalObject.Gradient g = (VerticalObject.Gradient) target;
        if (!g.key().party().equals(domain)) {
            return entry(object, "ignored", "a gradient for '" + g.key().party() + "', this function serves '"
                    + domain + "'");
        }
        return bottom(object, g.model(), g.key().round(), g.key().window());
    }

    private VerticalReport.Entry psi(ObjectCreated object, String model, String session,
            VerticalObject.BlindedSet set) {
        Optional<PsiSessionSettings> declared = settings.session(model, session);
        if (declared.isEmpty()) {
            return entry(object, "ignored", "PSI session '" + session + "' of model '" + model + "' is not declared");
        }
        PsiSessionSettings ps = declared.get();
        if (!ps.parties().containsKey(domain)) {
            return entry(object, "ignored", "'" + domain + "' is not a party of PSI session '" + session + "'");
        }
        if (set != null && !set.key().writtenByBlinderOf(ps.psi())) {
            return entry(object, "ignored", "dropped: '" + set.key().writer() + "' is not the ring's blinder of step "
                    + set.key().step() + " of '" + set.key().owner() + "''s set");
        }
        PsiProgress progress = new PartyPsi(store, ps, domain).advance(rows(ps));
        return progress instanceof PsiProgress.Aligned aligned
                ? entry(object, "aligned", aligned.alignment().size() + " entities in common")
                : entry(object, "psi-waiting", "waiting for " + ((PsiProgress.Waiting) progress).missing());
    }

    private VerticalReport.Entry begin(String key, String model, int round) {
        Optional<Declared> declared = declared(model, round);
        if (declared.isEmpty()) {
            return new VerticalReport.Entry(key, "ignored", "vertical round " + round + " of model '" + model
                    + "' is not declared");
        }
        PsiSessionSettings ps = declared.get().session();
        // An earlier round's outcome is checked with the head's key of that round, as the registry recorded it when
        // that round opened: a head key rotated between the rounds verifies this round, never the ones before.
        HeadKeys headKeys = earlier -> RoundSettings.of(registry.round(model, earlier)).verifier(ps.headOwner());
        List<String> done = new ArrayList<>();
        if (ps.parties().containsKey(domain)) {
            done.add("party: " + withBottom(declared.get(), (step, vround) -> step.begin(store, vround, headKeys)
                    .map(waited -> "waiting for " + waited).orElse("began")));
        }
        if (ps.headOwner().equals(domain)) {
            done.add("head: " + withHead(declared.get(), (step, vround) -> step.begin(store, vround, headKeys)
                    .map(waited -> "waiting for " + waited)
                    .orElseGet(() -> describe(step.advance(store, vround, 0)))));
        }
        return new VerticalReport.Entry(key, done.isEmpty() ? "ignored" : "began", done.isEmpty()
                ? "'" + domain + "' is neither a party nor the head" : String.join("; ", done));
    }

    private VerticalReport.Entry head(ObjectCreated object, String model, int round, int window, String stateOwner) {
        Optional<Declared> declared = declared(model, round);
        if (declared.isEmpty()) {
            return entry(object, "ignored", "vertical round " + round + " of model '" + model + "' is not declared");
        }
        String headOwner = declared.get().session().headOwner();
        if (!headOwner.equals(domain) || (stateOwner != null && !stateOwner.equals(headOwner))) {
            return entry(object, "ignored", "the head of model '" + model + "' is '" + headOwner + "'s, this function"
                    + " serves '" + domain + "'");
        }
        String outcome = withHead(declared.get(), (step, vround) -> window < vround.windows()
                ? describe(step.advance(store, vround, window)) : "the round's last state");
        return entry(object, "head", outcome);
    }

    private VerticalReport.Entry bottom(ObjectCreated object, String model, int round, int window) {
        Optional<Declared> declared = declared(model, round);
        if (declared.isEmpty() || !declared.get().session().parties().containsKey(domain)) {
            return entry(object, "ignored", "'" + domain + "' is not a party of vertical round " + round + " of model '"
                    + model + "'");
        }
        String stepped = withBottom(declared.get(), (step, vround) -> describe(step.onGradient(store, vround, window))
                + (window + 1 == vround.windows() ? nextRound(model, round) : ""));
        return entry(object, "party", stepped);
    }

    /**
     * After its last window a party starts the next round if the registry has opened it already. The round-opened
     * event and the party's last gradient travel apart (the registry's bus, the bucket's events), so the event may
     * have found this party's last state missing and waited; whichever of the two comes second starts the round,
     * because this look at the registry follows the state's write.
     */
    private String nextRound(String model, int round) {
        VerticalRoundView next;
        try {
            next = registry.round(model, round + 1);
        } catch (VerticalRefusal notOpened) {
            return "";
        }
        return next.isOpen() ? "; next round: " + begin(null, model, round + 1).detail() : "";
    }

    /** A round's settings and its PSI session's. */
    private record Declared(RoundSettings round, PsiSessionSettings session) {
    }

    private Optional<Declared> declared(String model, int round) {
        Optional<RoundSettings> rs = settings.round(model, round);
        if (rs.isEmpty()) {
            return Optional.empty();
        }
        PsiSessionSettings ps = settings.session(model, rs.get().session()).orElseThrow(() -> new VerticalRefusal(
                "Vertical round " + round + " of model '" + model + "' names PSI session '" + rs.get().session()
                        + "', which is not declared"));
        return Optional.of(new Declared(rs.get(), ps));
    }

    @FunctionalInterface
    private interface WithStep<S> {
        String apply(S step, VerticalRound round);
    }

    private String withBottom(Declared declared, WithStep<BottomStep> action) {
        PsiSessionSettings ps = declared.session();
        RoundSettings rs = declared.round();
        PartyRows rows = rows(ps);
        Optional<EntityAlignment> alignment = alignment(ps, rows);
        if (alignment.isEmpty()) {
            return "waiting: PSI session '" + ps.session() + "' has not aligned this party yet";
        }
        WindowPlan plan = plan(rs, alignment.get().size());
        settings.requireWindows(rs.model(), rs.round(), plan.windows());
        try (BottomModel model = new BottomModel(domain, rows.columns(), rs.bottomLayers())) {
            BottomStep step = new BottomStep(domain, plan, rows.aligned(alignment.get()), model, signer,
                    rs.verifier(ps.headOwner()), clock);
            return action.apply(step, round(rs, ps, plan));
        }
    }

    private String withHead(Declared declared, WithStep<HeadStep> action) {
        PsiSessionSettings ps = declared.session();
        RoundSettings rs = declared.round();
        Optional<AlignedLabels> labels;
        if (ps.labelsShared()) {
            labels = PartyPsi.sharedLabels(store, ps);
        } else {
            PartyRows rows = rows(ps);
            labels = alignment(ps, rows).map(rows::alignedLabels);
        }
        if (labels.isEmpty()) {
            return "waiting: the labels of PSI session '" + ps.session() + "' are not aligned yet";
        }
        WindowPlan plan = plan(rs, labels.get().labels().length);
        settings.requireWindows(rs.model(), rs.round(), plan.windows());
        Map<String, SignatureVerifier> partyKeys = new LinkedHashMap<>();
        ps.parties().keySet().forEach(party -> partyKeys.put(party, rs.verifier(party)));
        List<Integer> widths = Collections.nCopies(ps.parties().size(),
                rs.bottomLayers().get(rs.bottomLayers().size() - 1));
        try (HeadModel model = new HeadModel(widths, rs.headLayers())) {
            SignatureVerifier head = rs.verifier(ps.headOwner());
            HeadStep step = new HeadStep(plan, labels.get(), model, signer, head, partyKeys, clock);
            VerticalRound vround = round(rs, ps, plan);
            return action.apply(step, vround) + recorded(vround, head);
        }
    }

    /** Once the round's outcome is stored, the head records it in the registry (which then opens the next round). */
    private String recorded(VerticalRound round, SignatureVerifier head) {
        Optional<RoundOutcome> outcome = RoundOutcome.read(store, round.model(), round.round(), head);
        if (outcome.isEmpty()) {
            return "";
        }
        boolean recorded = registry.record(outcome.get()).recorded();
        return "; " + outcome.get().status() + (recorded ? " recorded in the registry" : " was in the registry already");
    }

    private Optional<EntityAlignment> alignment(PsiSessionSettings ps, PartyRows rows) {
        PartyPsi party = new PartyPsi(store, ps, domain);
        Optional<EntityAlignment> stored = party.stored();
        if (stored.isPresent()) {
            return stored;
        }
        return party.advance(rows) instanceof PsiProgress.Aligned aligned
                ? Optional.of(aligned.alignment()) : Optional.empty();
    }

    private PartyRows rows(PsiSessionSettings ps) {
        PsiSessionSettings.PartyData data = ps.parties().get(domain);
        String etag = store.head(data.rows()).orElseThrow(() -> new VerticalRefusal("Party '" + domain
                + "' has no rows at '" + data.rows() + "' (PSI session '" + ps.session() + "')")).etag();
        return rowsRead.computeIfAbsent(data.rows() + "#" + etag + "#" + data.entityKey() + "#" + data.label(),
                key -> PartyRows.read(store, data));
    }

    private static WindowPlan plan(RoundSettings rs, int commonEntities) {
        if (commonEntities == 0) {
            throw new VerticalRefusal("PSI session '" + rs.session() + "' found no entity in common: nothing to train");
        }
        return new WindowPlan(IntStream.range(0, commonEntities).toArray(), rs.batchSize(), rs.seed());
    }

    private static VerticalRound round(RoundSettings rs, PsiSessionSettings ps, WindowPlan plan) {
        return new VerticalRound(rs.model(), rs.round(), List.copyOf(ps.parties().keySet()), ps.headOwner(),
                plan.windows(), rs.deadlineInstant(), rs.optimiser().optimiser());
    }

    private static String describe(StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Applied a) {
            return "applied window " + a.window() + (Float.isNaN(a.loss()) ? "" : ", loss " + a.loss());
        }
        if (outcome instanceof StepOutcome.AlreadyApplied a) {
            return "window " + a.window() + " already applied";
        }
        if (outcome instanceof StepOutcome.Waiting w) {
            return "window " + w.window() + " waiting for " + w.missing();
        }
        StepOutcome.RoundOver over = (StepOutcome.RoundOver) outcome;
        return "round over: " + over.outcome().status() + (over.outcome().reason().isEmpty() ? "" : ", " + over.outcome().reason());
    }

    private static VerticalReport.Entry entry(ObjectCreated object, String action, String detail) {
        return new VerticalReport.Entry(object.key(), action, detail);
    }
}
