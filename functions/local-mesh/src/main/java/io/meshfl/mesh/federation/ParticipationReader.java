package io.meshfl.mesh.federation;

import io.meshfl.mesh.report.DomainOrder;
import io.meshfl.mesh.report.Participation;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration.UpdateStatus;
import io.meshfl.registry.api.UpdateView;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Who took part in a round, from the registry's records: the round's state and reason, its updates, and the
 * domains it expected ({@link RoundView#expectedDomains()}, fixed when the round opened; every enrolled domain for a
 * round without that record).
 * Read when the summary is written, so that updates registered as late after the round ended are counted.
 */
public final class ParticipationReader {

    private final RegistryClient governance;
    private final List<String> enrolled;

    /**
     * @param governance the registry as the governance sees it (every round and update)
     * @param enrolled the domains enrolled in the model
     */
    public ParticipationReader(RegistryClient governance, List<String> enrolled) {
        this.governance = governance;
        this.enrolled = List.copyOf(enrolled);
    }

    public Participation read(long roundId) {
        return of(governance.round(roundId), governance.updates(roundId), enrolled);
    }

    /**
     * Classifies the round's updates: accepted, late (refused because the round no longer took updates), or
     * rejected for another reason; the expected domains without an accepted update are missing.
     */
    public static Participation of(RoundView round, List<UpdateView> updates, List<String> enrolled) {
        List<String> accepted = new ArrayList<>();
        List<String> late = new ArrayList<>();
        List<Participation.Rejection> rejected = new ArrayList<>();
        for (UpdateView update : updates) {
            if (update.status() == UpdateStatus.ACCEPTED) {
                accepted.add(update.domain());
            } else if (isLate(update)) {
                late.add(update.domain());
            } else {
                rejected.add(new Participation.Rejection(update.domain(), update.reason()));
            }
        }
        List<String> missing = new ArrayList<>(round.expectedDomains() == null ? enrolled : round.expectedDomains());
        missing.removeAll(accepted);
        // In the federation's order (domain-2 before domain-10), whatever order the registry answered in.
        Comparator<String> order = DomainOrder.INSTANCE;
        accepted.sort(order);
        late.sort(order);
        missing.sort(order);
        rejected.sort(Comparator.comparing(Participation.Rejection::domain, order));
        String reason = round.state() != null && round.state().name().equals(RoundOutcome.FAILED)
                ? round.failureReason() : null;
        return new Participation(round.state() == null ? null : round.state().name(), reason, accepted, missing, late,
                rejected);
    }

    /**
     * The registry refuses an update that arrives after its round stopped taking updates with the reason
     * "late: round r is CLOSED" (a status of its own, where it has one).
     */
    private static boolean isLate(UpdateView update) {
        return update.status().name().equals("LATE")
                || (update.reason() != null && update.reason().toLowerCase(Locale.ROOT).startsWith("late"));
    }
}
