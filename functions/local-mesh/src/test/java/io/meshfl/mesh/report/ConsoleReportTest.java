package io.meshfl.mesh.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsoleReportTest {

    @Test
    void aRoundLineShowsTheRoundCountsAccuracyPerDomainAndTime() {
        RoundResult round = new RoundResult(3, ReportFixture.closed(List.of("domain-1", "domain-2", "domain-3",
                        "domain-4"), List.of(), List.of(), List.of(new Participation.Rejection("domain-5", "norm"))),
                0.81234, 0.5, Map.of("domain-2", 0.77, "domain-1", 0.91), 4.25);

        assertThat(ConsoleReport.roundLine(round, 10)).isEqualTo(
                "round  3/10  accepted 4  rejected 1  accuracy 0.8123  loss 0.5000  [domain-1 0.910, domain-2 0.770]  4.3 s");
    }

    @Test
    void aRoundLineNamesTheMissingDomainsAndWhyARoundFailed() {
        RoundResult round = ReportFixture.withAnAbsentDomain().roundResults().get(2);

        assertThat(ConsoleReport.roundLine(round, 4)).startsWith(
                "round 3/4  accepted 2  rejected 1  missing [domain-2, domain-4]  accuracy 0.7000")
                .endsWith("22.5 s  FAILED: quorum not met: 2 of 3 domains");
    }

    @Test
    void underAttackTheComparisonNamesTheAttackerAndPrintsTheReplay() {
        String text = ConsoleReport.comparison(ReportFixture.underAttack());

        assertThat(text).contains("(domain-2 sent poisoned updates in every round)")
                .contains("federated (fedavg)               0.9000")
                .contains("replay with median, same attack  0.8500  (loss 0.4000)");
    }

    @Test
    void theComparisonSaysWhetherBothAcceptanceChecksHold() {
        // Prepare: federated 0.90 vs centralised 0.92 is 2.0 points below; best local 0.50.
        String text = ConsoleReport.comparison(ReportFixture.twoRounds());

        assertThat(text).contains("federated (fedavg)               0.9000")
                .contains("centralised (pooled data)        0.9200")
                .contains("local only: domain-1             0.5000")
                .contains("federated is 2.0 points below centralised (ok: within 2 points)")
                .contains("federated vs best local-only model: +40.0 points (ok: above every local model)");
    }

    @Test
    void aFederatedModelFarBelowCentralisedOrALocalOneIsFlagged() {
        DemoReport weak = new DemoReport("d", "local", "fedavg", 1, 1, ReportFixture.metrics(0.6, 1),
                ReportFixture.metrics(0.9, 0.3),
                Map.of("domain-1", ReportFixture.metrics(0.7, 0.8)), List.of(), Optional.empty());

        assertThat(ConsoleReport.comparison(weak)).contains("30.0 points below centralised (NOT met")
                .contains("-10.0 points (NOT met");
    }
}
