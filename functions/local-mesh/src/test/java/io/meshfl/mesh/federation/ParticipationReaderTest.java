package io.meshfl.mesh.federation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.mesh.report.Participation;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration.UpdateStatus;
import io.meshfl.registry.api.UpdateView;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A round's participation from scripted registry answers: the round, its updates, and its expected domains. */
class ParticipationReaderTest {

    private static final List<String> ENROLLED = List.of("domain-1", "domain-2", "domain-3", "domain-4");

    private static RoundView round(RoundState state, String failureReason) {
        return round(state, failureReason, null);
    }

    private static RoundView round(RoundState state, String failureReason, List<String> expectedDomains) {
        return new RoundView(7, "m", 2, "round", state, "models/m/global/2.safetensors", "abc", Instant.EPOCH,
                Instant.EPOCH.plusSeconds(20), null, null, null, failureReason, null, null, null, null, null, null, null,
                expectedDomains, null);
    }

    private static UpdateView update(String domain, UpdateStatus status, String reason) {
        return new UpdateView(1L, 7, domain, "models/m/rounds/2/updates/" + domain + ".safetensors", "etag", "sha", 100,
                2, null, status, reason, "dp", "1", Instant.EPOCH, false);
    }

    @Test
    void withoutExpectedDomainsFromTheRegistryEveryEnrolledDomainWithoutAnAcceptedUpdateIsMissing() {
        // Prepare: domain-2 switched off; domain-4's update came after the deadline close; the registry lists
        // updates in its own order.
        List<UpdateView> updates = List.of(update("domain-3", UpdateStatus.ACCEPTED, null),
                update("domain-4", UpdateStatus.REJECTED, "late: round 2 is CLOSED"),
                update("domain-1", UpdateStatus.ACCEPTED, null));

        // Execute
        Participation participation = ParticipationReader.of(round(RoundState.CLOSED, null), updates,
                ENROLLED);

        // Assert
        assertThat(participation.outcome()).isEqualTo("CLOSED");
        assertThat(participation.reason()).isNull();
        assertThat(participation.accepted()).containsExactly("domain-1", "domain-3");
        assertThat(participation.missing()).containsExactly("domain-2", "domain-4");
        assertThat(participation.late()).containsExactly("domain-4");
        assertThat(participation.rejected()).isEmpty();
    }

    @Test
    void theRoundsExpectedDomainsWhenTheRegistryRecordsThemDecideWhoIsMissing() {
        // Prepare: a sampled round expected domain-1 and domain-2 only.
        List<UpdateView> updates = List.of(update("domain-1", UpdateStatus.ACCEPTED, null));

        Participation participation = ParticipationReader.of(
                round(RoundState.CLOSED, null, List.of("domain-2", "domain-1")), updates, ENROLLED);

        assertThat(participation.missing()).containsExactly("domain-2");
    }

    @Test
    void aFailedRoundCarriesTheRegistrysReasonAndRejectionsKeepTheirs() {
        List<UpdateView> updates = List.of(update("domain-1", UpdateStatus.ACCEPTED, null),
                update("domain-3", UpdateStatus.REJECTED, "norm 40 > 10"));

        Participation participation = ParticipationReader.of(round(RoundState.FAILED, "quorum not met: 1 of 3"),
                updates, ENROLLED);

        assertThat(participation.outcome()).isEqualTo("FAILED");
        assertThat(participation.reason()).isEqualTo("quorum not met: 1 of 3");
        assertThat(participation.accepted()).containsExactly("domain-1");
        assertThat(participation.missing()).containsExactly("domain-2", "domain-3", "domain-4");
        assertThat(participation.late()).isEmpty();
        assertThat(participation.rejected()).containsExactly(new Participation.Rejection("domain-3", "norm 40 > 10"));
    }

    @Test
    void domainsAreInTheFederationsOrderNotTheAlphabets() {
        List<String> enrolled = List.of("domain-1", "domain-2", "domain-10");
        List<UpdateView> updates = List.of(update("domain-10", UpdateStatus.ACCEPTED, null),
                update("domain-2", UpdateStatus.ACCEPTED, null));

        Participation participation = ParticipationReader.of(round(RoundState.CLOSED, null), updates,
                enrolled);

        assertThat(participation.accepted()).containsExactly("domain-2", "domain-10");
        assertThat(participation.missing()).containsExactly("domain-1");
    }
}
