package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.update.DomainPrivateKey;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.registry.api.VerticalOutcomeResult;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.training.function.TrainingConfig;
import io.meshfl.vertical.step.DeadlineSweep;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.RoundOutcome;
import io.meshfl.vertical.step.VerticalRound;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The scheduled end of vertical rounds that no event will end: a party that never writes its embeddings leaves its
 * window open, and nothing else is triggered. A schedule (EventBridge Scheduler on AWS, a PingSource on Knative)
 * invokes the head's {@code vertical} function with {@value #FIELD}{@code : }{@value #VALUE}; the head lists the
 * registry's OPEN vertical rounds past their deadline (the registry's clock), and for each round whose head it owns
 * runs the vertical module's {@link DeadlineSweep} on the registry's settings (FAILED {@code outcome.json} naming the
 * first open window and the missing parties; or COMPLETED if every head step is stored), then records the stored
 * outcome in the registry, which opens the next round. Idempotent: the store's and the registry's first outcome win.
 */
@ApplicationScoped
public class VerticalDeadlineSweep {

    static final String FIELD = "sweep";
    static final String VALUE = "vertical-rounds";

    private static final Logger LOG = Logger.getLogger(VerticalDeadlineSweep.class);

    private final ObjectStore store;
    private final RegisteredVerticalRounds registry;
    private final String domain;
    private final Clock clock = Clock.systemUTC();
    private final UpdateSigner signer;

    VerticalDeadlineSweep(ObjectStore store, RegisteredVerticalRounds registry, TrainingConfig config) {
        this.store = store;
        this.signer = new UpdateSigner(DomainPrivateKey.parse(config.signingKey()));
        this.registry = registry;
        this.domain = config.domain();
    }

    /** Whether the event is the schedule's sweep rather than an object event. */
    static boolean isSweep(JsonNode event) {
        return event != null && VALUE.equals(event.path(FIELD).asText(null));
    }

    /** One entry per due round: swept and recorded, or ignored (another head's). */
    public VerticalReport sweep() {
        List<VerticalReport.Entry> entries = new ArrayList<>();
        for (VerticalRoundView due : registry.due()) {
            String key = due.outcomeKey();
            if (!domain.equals(due.labelOwner())) {
                entries.add(new VerticalReport.Entry(key, "ignored", "the head of model '" + due.model() + "' is '"
                        + due.labelOwner() + "''s, this function serves '" + domain + "'"));
                continue;
            }
            try {
                entries.add(sweep(due));
            } catch (RuntimeException e) {
                // One round this head cannot settle (its object access does not cover that model, a store error)
                // must not keep the others open; the next scheduled sweep tries it again.
                LOG.errorf(e, "Could not sweep vertical round %d of model '%s'", due.number(), due.model());
                entries.add(new VerticalReport.Entry(key, "failed", e.getClass().getSimpleName() + ": "
                        + e.getMessage()));
            }
        }
        return new VerticalReport(entries);
    }

    private VerticalReport.Entry sweep(VerticalRoundView due) {
        String key = due.outcomeKey();
        Optimiser optimiser = RegistryRoundCheck.optimiser(due.training());
        if (optimiser == null) {
            return new VerticalReport.Entry(key, "refused", "the registry's round names no optimiser this"
                    + " function knows: " + due.training());
        }
        VerticalRound round = new VerticalRound(due.model(), due.number(), due.parties(), due.labelOwner(),
                due.windows(), due.deadline(), optimiser);
        // The head's public key as the round opened with it verifies the stored outcome.
        Optional<RoundOutcome> outcome = DeadlineSweep.sweep(store, round, clock.instant(), signer,
                RoundSettings.of(due).verifier(due.labelOwner()));
        if (outcome.isEmpty()) {
            // The registry's clock says due, this function's not yet: the next sweep settles it.
            return new VerticalReport.Entry(key, "swept", "not past its deadline " + due.deadline()
                    + " on this function's clock yet");
        }
        VerticalOutcomeResult recorded = registry.record(outcome.get());
        String detail = outcome.get().status() + (outcome.get().failed() ? ": " + outcome.get().reason() : "")
                + (recorded.recorded() ? "; recorded in the registry" : "; the registry had recorded "
                + recorded.round().state() + " already");
        LOG.infof("Swept vertical round %d of model '%s': %s", due.number(), due.model(), detail);
        return new VerticalReport.Entry(key, "swept", detail);
    }
}
