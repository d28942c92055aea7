package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.mesh.federation.ExternalDomain;
import io.meshfl.mesh.federation.Participant;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --external DOMAIN}: read, validated, and a domain nobody in the mesh triggers. */
class ExternalDomainOptionsTest {

    private static DemoOptions parse(String... args) {
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void withoutTheFlagNoDomainIsExternal() {
        assertThat(parse("--domains", "3").externalDomains()).isEmpty();
    }

    @Test
    void theFlagIsRepeatableAndKeepsTheOthersFlagsForOtherDomains() {
        DemoOptions options = parse("--domains", "4", "--external", "domain-2", "--external", "domain-4",
                "--straggler", "domain-1:2", "--fail", "domain-3:2", "--min-domains", "3", "--deadline", "60");

        assertThat(options.externalDomains()).containsExactly("domain-2", "domain-4");
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void anUnknownDomainOrOneNamedTwiceIsRefused() {
        assertThat(parse("--domains", "3", "--external", "domain-4").problems())
                .containsExactly("--external domain-4 is not one of the domains [domain-1, domain-2, domain-3]");
        assertThat(parse("--domains", "3", "--external", "domain-2", "--external", "domain-2").problems())
                .containsExactly("--external names domain-2 twice");
    }

    @Test
    void anExternalDomainCannotAlsoStraggleFailOrBePoisoned() {
        assertThat(parse("--domains", "3", "--external", "domain-2", "--straggler", "domain-2:3").problems())
                .containsExactly("--external domain-2 cannot also be a --straggler: the mesh does not run it");
        assertThat(parse("--domains", "3", "--external", "domain-2", "--fail", "domain-2:2").problems())
                .containsExactly("--external domain-2 cannot also --fail: the mesh does not run it");
        assertThat(parse("--domains", "3", "--external", "domain-2", "--poison", "domain-2").problems())
                .containsExactly("--external domain-2 cannot also be --poison: the mesh does not run it");
    }

    @Test
    void noSchedulerTriggersAnExternalDomainAndItsAbsenceIsNoFailure() {
        DemoOptions options = parse("--domains", "2", "--external", "domain-1", "--external", "domain-2");
        StringWriter out = new StringWriter();

        // No mesh, registry or stores: an external domain's participant must need none of them.
        List<Participant> participants = new DemoParticipants(options, new PrintWriter(out)).build(null, null,
                domain -> {
                    throw new AssertionError("no token is minted for the external " + domain);
                }, null, null, domain -> null, null, null, null, null, false);

        assertThat(participants).extracting(Participant::domain).containsExactly("domain-1", "domain-2");
        assertThat(participants).allMatch(ExternalDomain.class::isInstance);
        Participant.Outcome outcome = participants.get(0).takePart("model", 1);
        assertThat(outcome.absent()).isTrue();
        assertThat(outcome.failed()).isFalse();
        assertThat(outcome.body()).contains("external");
    }
}
