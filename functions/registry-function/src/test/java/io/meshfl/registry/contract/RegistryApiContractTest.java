package io.meshfl.registry.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.TokenTestResource;
import io.meshfl.registry.Tokens;
import io.meshfl.registry.api.CloseOutcome;
import io.meshfl.registry.api.CompletedRound;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.DomainRegistration;
import io.meshfl.registry.api.DueRound;
import io.meshfl.registry.api.ExpiredRound;
import io.meshfl.registry.api.MetricsReport;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration;
import io.meshfl.registry.api.UpdateRegistration.UpdateStatus;
import io.meshfl.registry.api.UpdateView;
import io.meshfl.registry.api.VerticalOutcome;
import io.meshfl.registry.api.VerticalOutcomeResult;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.PostgresTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry's resources and the one client every caller uses ({@code functions/registry-api}) agree on every
 * record: a whole round is driven through the client with a strict connection (an answer field the client's records
 * lack fails), and every request record the client sends is read by the server's record without a field left over.
 * A field added on one side only fails this test.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@QuarkusTestResource(TokenTestResource.class)
class RegistryApiContractTest {

    /** How the server reads requests, made strict: a field it has no place for is an error here. */
    private static final ObjectMapper STRICT = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @TestHTTPResource("/")
    URL registryUrl;

    private RegistryConnection strictConnection() throws Exception {
        return RegistryConnection.to(registryUrl.toURI()).strict();
    }

    @Test
    void aWholeRoundThroughTheClientReadsEveryAnswerStrictly() throws Exception {
        RegistryConnection registry = strictConnection();
        RegistryClient governance = registry.as(Tokens.governance());
        RegistryClient function = registry.as(Tokens.function());
        String model = Fixtures.unique("contract");
        String alpha = Fixtures.unique("alpha");
        String beta = Fixtures.unique("beta");

        // Set-up as the governance and the domains do it.
        governance.registerModel(STRICT.readTree(Fixtures.modelJson(model, "churn-prediction", "fedavg", 2)));
        for (String domain : List.of(alpha, beta)) {
            governance.registerDomain(new DomainRegistration(domain, "Domain " + domain, domain + "@example.org",
                    Fixtures.ed25519PublicKey()));
            registry.as(Tokens.domain(domain)).registerDataProduct(
                    DataProductDescriptors.churn(domain + "-churn", domain, "1.0.0", "churn-prediction", 500));
            governance.enrol(model, domain, domain + "-churn");
        }
        assertThat(governance.domain(alpha)).get().extracting(d -> d.status()).isEqualTo("ACTIVE");
        assertThat(governance.enrolments(model)).extracting(e -> e.domain()).containsExactlyInAnyOrder(alpha, beta);
        assertThat(governance.enrolments(model)).extracting(e -> e.records()).containsOnly(500L);
        RoundView opened = governance.openRound(model, "ab".repeat(32));

        // A domain's training reads its round with every setting and its own enrolment.
        RoundView asAlpha = registry.as(Tokens.domain(alpha)).currentRound(model).orElseThrow();
        assertThat(asAlpha.roundId()).isEqualTo(opened.roundId());
        assertThat(asAlpha.state()).isEqualTo(RoundState.OPEN);
        assertThat(asAlpha.globalModelChecksum()).isEqualTo("ab".repeat(32));
        assertThat(asAlpha.training().localEpochs()).isEqualTo(2);
        assertThat(asAlpha.policy().minDomains()).isEqualTo(2);
        assertThat(asAlpha.maxExamples(alpha)).hasValue(500);
        assertThat(function.currentRound(model).orElseThrow().maxExamples()).containsOnlyKeys(alpha, beta);
        assertThat(asAlpha.enrolment().columns()).extracting(RoundView.Column::name)
                .containsExactly("tenure", "monthly_charges", "churned");

        // The aggregation function registers, closes and completes.
        for (String domain : List.of(alpha, beta)) {
            UpdateView registered = function.registerUpdate(opened.roundId(), new UpdateRegistration(domain,
                    "models/" + model + "/rounds/1/updates/" + domain + ".safetensors", "etag-" + domain,
                    "ab".repeat(32), 100, 1, STRICT.readTree("{\"loss\": 0.5}"), UpdateStatus.ACCEPTED, null));
            assertThat(registered.duplicate()).isFalse();
            assertThat(registered.registeredAt()).isNotNull();
        }
        assertThat(function.updates(opened.roundId())).hasSize(2);
        CloseOutcome close = function.close(opened.roundId(), Duration.ofSeconds(60));
        assertThat(close).isInstanceOf(CloseOutcome.Won.class);
        assertThat(((CloseOutcome.Won) close).accepted()).hasSize(2);
        CompletedRound completed = function.complete(opened.roundId(), new Completion(
                "models/" + model + "/global/2.safetensors", "sha256:" + "cd".repeat(32), List.of(alpha, beta),
                null));
        assertThat(completed.closed().state()).isEqualTo(RoundState.CLOSED);
        assertThat(completed.next().number()).isEqualTo(2);

        // A domain reports how the new global model does; the function fails round 2.
        registry.as(Tokens.domain(beta)).reportMetrics(completed.next().roundId(),
                new MetricsReport(beta, 40, Map.of("loss", 0.4, "accuracy", 0.8)));
        RoundView failed = function.fail(completed.next().roundId(), "contract test");
        assertThat(failed.state()).isEqualTo(RoundState.FAILED);
        assertThat(governance.round(failed.roundId()).failureReason()).isEqualTo("contract test");
        assertThat(governance.dashboardLogin().loginPath()).startsWith("/dashboard/login");
    }

    @Test
    void aVerticalRoundThroughTheClientReadsEveryAnswerStrictly() throws Exception {
        RegistryConnection registry = strictConnection();
        RegistryClient governance = registry.as(Tokens.governance());
        String model = Fixtures.unique("vcontract");
        String alpha = Fixtures.unique("alpha");
        String beta = Fixtures.unique("beta");
        for (String domain : List.of(alpha, beta)) {
            governance.registerDomain(new DomainRegistration(domain, "Domain " + domain, domain + "@example.org",
                    Fixtures.ed25519PublicKey()));
            registry.as(Tokens.domain(domain)).registerDataProduct(DataProductDescriptors.entityColumns(domain + "-p",
                    domain, "scoring", "id", List.of(domain + "_x"), domain.equals(alpha) ? "y" : null));
        }
        governance.registerVerticalModel(STRICT.readTree("""
                {"id": "%s", "purpose": "scoring",
                 "parties": [{"domain": "%s", "dataProduct": "%s-p"}, {"domain": "%s", "dataProduct": "%s-p"}],
                 "labelOwner": "%s", "architecture": {"bottom": [4], "head": [1]},
                 "policy": {"roundDeadlineSeconds": 60}, "training": {"batchSize": 8, "windows": 2},
                 "psiSession": "psi-1"}
                """.formatted(model, alpha, alpha, beta, beta, alpha)));
        assertThat(governance.verticalModel(model)).get().extracting(m -> m.path("labelSource").asText())
                .isEqualTo(alpha);
        VerticalRoundView opened = governance.openVerticalRound(model);
        assertThat(opened.state()).isEqualTo(VerticalRoundState.OPEN);

        // What a domain's training function reads, and the head owner (here a domain) records.
        RegistryClient asAlpha = registry.as(Tokens.domain(alpha));
        VerticalRoundView current = asAlpha.currentVerticalRound(model).orElseThrow();
        assertThat(current.parties()).containsExactlyElementsOf(List.of(alpha, beta).stream().sorted().toList());
        assertThat(current.labelsShared()).isFalse();
        assertThat(current.training().optimizer()).isEqualTo("sgd");
        assertThat(current.party().labelColumn()).isEqualTo("y");
        // What it starts and verifies the round with: the PSI session and every signer's key, as the round opened.
        assertThat(current.psiSession()).isEqualTo("psi-1");
        assertThat(current.publicKeys()).containsOnlyKeys(alpha, beta);
        VerticalOutcomeResult failed = asAlpha.recordVerticalOutcome(model, 1,
                VerticalOutcome.failed(0, List.of(beta), "no embeddings from " + beta));
        assertThat(failed.recorded()).isTrue();
        assertThat(failed.next().number()).isEqualTo(2);
        assertThat(asAlpha.recordVerticalOutcome(model, 1, VerticalOutcome.completed(2)).recorded()).isFalse();
        assertThat(registry.as(Tokens.function()).recordVerticalOutcome(model, 2, VerticalOutcome.completed(2))
                .round().producedVersion()).isEqualTo(2);
        assertThat(governance.verticalRounds(model)).extracting(VerticalRoundView::state).containsExactly(
                VerticalRoundState.FAILED, VerticalRoundState.COMPLETED, VerticalRoundState.OPEN);
        assertThat(governance.verticalRound(model, 1).orElseThrow().missing()).containsExactly(beta);
        assertThat(governance.verticalRound(model, 9)).isEmpty();
        assertThat(registry.as(Tokens.function()).dueVerticalRounds()).extracting(VerticalRoundView::model)
                .doesNotContain(model);
        assertThat(registry.as(Tokens.domain(beta)).currentVerticalRound(model).orElseThrow().party().columns())
                .containsExactly(beta + "_x");
    }

    @Test
    void theSweepersCallsReadEveryAnswerStrictly() throws Exception {
        RegistryConnection registry = strictConnection();
        RegistryClient governance = registry.as(Tokens.governance());
        RegistryClient function = registry.as(Tokens.function());
        String model = Fixtures.unique("sweep");
        String alpha = Fixtures.unique("alpha");
        String beta = Fixtures.unique("beta");
        governance.registerModel(STRICT.readTree(Fixtures.modelJson(model, "churn-prediction", "fedavg", 2)
                .replace("\"minDomains\": 2", "\"minDomains\": 2, \"participants\": 2")));
        long round = Fixtures.openWith(model, alpha, beta);
        assertThat(function.round(round).expectedDomains()).containsExactlyInAnyOrder(alpha, beta);
        assertThat(function.currentRound(model).orElseThrow().policy().participants()).isEqualTo(2);
        assertThat(function.currentRound(model).orElseThrow().policy().onQuorumMissed()).isEqualTo("retry");

        assertThat(function.openRounds()).extracting(RoundView::roundId).contains(round);
        assertThat(function.relayEvents().dead()).isZero();
        Fixtures.pastDeadline(round);
        List<DueRound> due = function.dueRounds();
        ExpiredRound expired = function.expire(round);

        assertThat(due).filteredOn(d -> d.round().roundId() == round).singleElement()
                .satisfies(d -> assertThat(d.action()).isEqualTo(DueRound.Action.EXPIRE));
        assertThat(expired.failed().state()).isEqualTo(RoundState.FAILED);
        assertThat(expired.failed().failureReason()).startsWith("quorum missed: 0 of 2");
        assertThat(expired.next().number()).isEqualTo(2);
        assertThat(expired.next().expectedDomains()).containsExactlyInAnyOrder(alpha, beta);
        assertThatThrownBy(() -> function.expire(expired.next().roundId()))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void everyRequestTheClientSendsIsReadCompletelyByTheServersRecord() throws Exception {
        assertReadCompletely(new UpdateRegistration("d", "k", "e", "ab", 1, 1, STRICT.readTree("{}"),
                UpdateStatus.REJECTED, "why"), io.meshfl.registry.update.UpdateRegistration.class);
        assertReadCompletely(new Completion("g", "sha256:00", List.of("d"), "s"),
                io.meshfl.registry.round.Completion.class);
        assertReadCompletely(new MetricsReport("d", 3, Map.of("loss", 1.0)),
                io.meshfl.registry.version.EvaluationReport.class);
    }

    @Test
    void aRefusalCarriesTheRegistrysProblemWithItsFieldErrors() throws Exception {
        RegistryClient governance = strictConnection().as(Tokens.governance());

        assertThatThrownBy(() -> governance.registerDomain(new DomainRegistration("x", null, null, "not-a-key")))
                .isInstanceOfSatisfying(RegistryException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.errors()).isNotEmpty();
                    assertThat(e.transientFailure()).isFalse();
                });
    }

    private static void assertReadCompletely(Object clientRecord, Class<?> serverRecord) throws Exception {
        byte[] json = STRICT.writeValueAsBytes(clientRecord);
        Object read = STRICT.readValue(json, serverRecord);
        // And back: the server's record holds every value the client sent.
        assertThat(STRICT.readTree(STRICT.writeValueAsBytes(read))).isEqualTo(STRICT.readTree(json));
    }
}
