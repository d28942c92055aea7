package io.meshfl.training.vertical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.vertical.psi.PsiKeys;
import io.meshfl.vertical.step.StepKeys;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The governance side's session is read strictly and checked against the registry's round, the round's settings come
 * from the registry, and events route to the step they trigger.
 */
class VerticalSettingsTest {

    private static final String SESSION = """
            {"version": 1, "model": "fraud", "session": "psi-1", "headOwner": "%s", "labelOwner": "alpha",
             "parties": {"alpha": {"rows": "domains/alpha/vertical/fraud/rows.csv", "entityKey": "id", "label": "y"},
                         "beta": {"rows": "%s", "entityKey": "id", "label": null}}%s}""";

    private static PsiSessionSettings session(String headOwner, String betaRows, String extra) throws Exception {
        return StoredVerticalSettings.JSON.readValue(SESSION.formatted(headOwner, betaRows, extra),
                PsiSessionSettings.class);
    }

    @Test
    void aValidSessionSortsItsPartiesIntoTheRing() throws Exception {
        PsiSessionSettings settings = session("governance", "domains/beta/vertical/fraud/rows.csv", "");

        assertThat(settings.psi().parties()).containsExactly("alpha", "beta");
        assertThat(settings.labelsShared()).isTrue();
    }

    @Test
    void rowsOutsideThePartysOwnPrefixAreRefusedNamingTheParty() {
        assertThatThrownBy(() -> session("governance", "domains/alpha/vertical/fraud/rows.csv", ""))
                .isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("party 'beta' rows 'domains/alpha/vertical/fraud/rows.csv' must be under 'domains/beta/'");
    }

    @Test
    void theHeadIsTheGovernanceOrTheLabelOwnerNeverAnotherParty() {
        assertThatThrownBy(() -> session("beta", "domains/beta/vertical/fraud/rows.csv", ""))
                .hasMessageContaining("headOwner must be 'governance' (labels shared) or the label owner 'alpha'");
    }

    @Test
    void anUnknownFieldIsRefused() {
        assertThatThrownBy(() -> session("governance", "domains/beta/vertical/fraud/rows.csv", ", \"labels\": [1]"))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("labels");
    }

    @Test
    void aRegistryRoundWithoutAPsiSessionOrWithAnUnknownOptimiserIsNotStepped() {
        VerticalRoundView.Training sgd = new VerticalRoundView.Training(32, 1, 7L, "sgd", 0.1, null, null, null);
        VerticalRoundView.Architecture network = new VerticalRoundView.Architecture(List.of(4, 2), List.of(4, 1));
        Instant deadline = Instant.parse("2030-01-01T00:00:00Z");

        RoundSettings settings = RoundSettings.of(registry(List.of("alpha", "beta"), "governance", "alpha", deadline,
                sgd, network, "psi-1"));
        assertThat(settings.session()).isEqualTo("psi-1");
        assertThat(settings.optimiser().optimiser()).isEqualTo(io.meshfl.vertical.step.Optimiser.sgd(0.1f));
        assertThat(settings.deadlineInstant()).isEqualTo(deadline);
        assertThatThrownBy(() -> settings.verifier("gamma")).isInstanceOf(VerticalRefusal.class)
                .hasMessageContaining("no public key of 'gamma'");
        assertThatThrownBy(() -> RoundSettings.of(registry(List.of("alpha", "beta"), "governance", "alpha", deadline,
                sgd, network, null))).isInstanceOf(VerticalRefusal.class).hasMessageContaining("names no PSI session");
        assertThatThrownBy(() -> RoundSettings.of(registry(List.of("alpha", "beta"), "governance", "alpha", deadline,
                new VerticalRoundView.Training(32, 1, 7L, "lbfgs", 0.1, null, null, null), network, "psi-1")))
                .isInstanceOf(VerticalRefusal.class).hasMessageContaining("an optimiser this function knows");
    }

    @Test
    void theStoredSessionIsCheckedFieldByFieldAgainstTheRegistrysRound() throws Exception {
        PsiSessionSettings session = session("governance", "domains/beta/vertical/fraud/rows.csv", "");
        VerticalRoundView.Training adam = new VerticalRoundView.Training(32, 1, 7L, "adam", 0.02, 0.9, 0.999, 1e-8);
        VerticalRoundView.Architecture network = new VerticalRoundView.Architecture(List.of(4, 2), List.of(4, 1));
        Instant deadline = Instant.parse("2030-01-01T00:00:00Z");

        assertThat(RegistryRoundCheck.disagreements(session, registry(List.of("alpha", "beta"), "governance", "alpha",
                deadline, adam, network, "psi-1"))).isEmpty();
        assertThat(RegistryRoundCheck.disagreements(session, registry(List.of("alpha", "beta", "gamma"), "alpha",
                "beta", deadline, adam, network, "psi-2"))).containsExactly(
                "PSI session: stored psi-1, registry psi-2",
                "parties: stored [alpha, beta], registry [alpha, beta, gamma]",
                "head owner (session headOwner / registry labelOwner): stored governance, registry alpha",
                "label owner (session labelOwner / registry labelSource): stored alpha, registry beta");
    }

    @Test
    void theRegistrysRoundOpenedEventIsReadAsTheCloudEventOrTheEventBridgeEventItArrivesIn() {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(VerticalRoundOpened.read(json.createObjectNode().put("type", "meshfl.vround.opened")
                .set("data", json.createObjectNode().put("model", "fraud").put("number", 2).put("state", "OPEN"))))
                .contains(new VerticalRoundOpened("fraud", 2));
        assertThat(VerticalRoundOpened.read(json.createObjectNode().put("source", "meshfl.registry")
                .put("detail-type", "meshfl.vround.opened")
                .set("detail", json.createObjectNode().put("model", "fraud").put("number", 3))))
                .contains(new VerticalRoundOpened("fraud", 3));
        // Another source's event of the same detail-type, another type, the sweep: not the registry's round.
        assertThat(VerticalRoundOpened.read(json.createObjectNode().put("source", "someone.else")
                .put("detail-type", "meshfl.vround.opened")
                .set("detail", json.createObjectNode().put("model", "fraud").put("number", 3)))).isEmpty();
        assertThat(VerticalRoundOpened.read(json.createObjectNode().put("type", "meshfl.round.opened")
                .set("data", json.createObjectNode().put("model", "fraud").put("number", 2)))).isEmpty();
        assertThat(VerticalRoundOpened.read(json.createObjectNode().put("sweep", "vertical-rounds"))).isEmpty();
        assertThatThrownBy(() -> VerticalRoundOpened.read(json.createObjectNode().put("type", "meshfl.vround.opened")
                .set("data", json.createObjectNode().put("model", "../x").put("number", 0))))
                .isInstanceOf(VerticalRefusal.class).hasMessageContaining("names no vertical round");
    }

    private static VerticalRoundView registry(List<String> parties, String labelOwner, String labelSource,
            Instant deadline, VerticalRoundView.Training training, VerticalRoundView.Architecture architecture,
            String psiSession) {
        return new VerticalRoundView(1, "fraud", 2, VerticalRoundState.OPEN, deadline.minusSeconds(600), deadline,
                null, training.windows(), 1, null, null, null, null, null, "models/fraud/vrounds/2/outcome.json",
                Map.of(), parties, labelOwner, labelSource, architecture, training, null, psiSession, Map.of());
    }

    @Test
    void keysRouteToTheStepTheyTrigger() {
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/session.json"))
                .contains(new VerticalObject.SessionDeclared("fraud", "psi-1"));
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/sets/beta/2/alpha.points"))
                .contains(new VerticalObject.BlindedSet(PsiKeys.parse("models/fraud/vrounds/psi/psi-1/sets/beta/2/alpha.points").orElseThrow()));
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/steps/0/gradients/beta.safetensors"))
                .contains(new VerticalObject.Gradient(new StepKeys.StepKey("fraud", 3, 0, StepKeys.Kind.GRADIENT, "beta")));
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/head/1.safetensors"))
                .contains(new VerticalObject.HeadState("fraud", 3, 1, "governance"));
        assertThat(VerticalObject.parse("domains/alpha/vertical/fraud/vrounds/3/head/1.safetensors"))
                .contains(new VerticalObject.HeadState("fraud", 3, 1, "alpha"));
        // Not triggers: a party's bottom state, the shared labels, an update, the outcome, a round.json (a round
        // starts from the registry's round-opened event, never from an object).
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/round.json")).isEmpty();
        assertThat(VerticalObject.parse("domains/alpha/vertical/fraud/vrounds/3/bottom/1.safetensors")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/labels/alpha.labels.json")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/rounds/3/updates/alpha.safetensors")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/outcome.json")).isEmpty();
    }
}
