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

/** The governance side's settings objects are read strictly, and object keys route to the step they trigger. */
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
    void aRoundNeedsADeadlineAsAnInstantAndAKnownOptimiser() {
        String round = """
                {"version": 1, "model": "fraud", "round": 1, "session": "psi-1", "deadline": "%s",
                 "optimiser": {"kind": "%s", "learningRate": 0.1}, "batchSize": 8, "seed": 1,
                 "bottomLayers": [4, 2], "headLayers": [4, 1], "publicKeys": {}}""";

        assertThatThrownBy(() -> StoredVerticalSettings.JSON.readValue(round.formatted("tomorrow", "sgd"),
                RoundSettings.class)).hasMessageContaining("deadline 'tomorrow' is not an ISO-8601 instant");
        assertThatThrownBy(() -> StoredVerticalSettings.JSON.readValue(round.formatted("2030-01-01T00:00:00Z", "lbfgs"),
                RoundSettings.class)).hasMessageContaining("optimiser.kind must be 'sgd' or 'adam'");
    }

    @Test
    void storedRoundSettingsAreCheckedFieldByFieldAgainstTheRegistrysRound() throws Exception {
        String round = """
                {"version": 1, "model": "fraud", "round": 2, "session": "psi-1", "deadline": "2030-01-01T00:00:00Z",
                 "optimiser": {"kind": "adam", "learningRate": 0.02}, "batchSize": 32, "seed": 7,
                 "bottomLayers": [4, 2], "headLayers": [4, 1], "publicKeys": {}}""";
        RoundSettings stored = StoredVerticalSettings.JSON.readValue(round, RoundSettings.class);
        PsiSessionSettings session = session("governance", "domains/beta/vertical/fraud/rows.csv", "");
        VerticalRoundView.Training adam = new VerticalRoundView.Training(32, 1, 7L, "adam", 0.02, 0.9, 0.999, 1e-8);
        VerticalRoundView.Architecture network = new VerticalRoundView.Architecture(List.of(4, 2), List.of(4, 1));

        assertThat(RegistryRoundCheck.disagreements(stored, session, registry(List.of("alpha", "beta"),
                "governance", "alpha", Instant.parse("2030-01-01T00:00:00Z"), adam, network))).isEmpty();
        assertThat(RegistryRoundCheck.disagreements(stored, session, registry(List.of("alpha", "beta", "gamma"),
                "alpha", "alpha", Instant.parse("2030-01-01T00:00:01Z"),
                new VerticalRoundView.Training(64, 1, 8L, "adam", 0.01, 0.5, 0.999, 1e-8),
                new VerticalRoundView.Architecture(List.of(4, 3), List.of(8, 1))))).containsExactly(
                "parties: stored [alpha, beta], registry [alpha, beta, gamma]",
                "head owner (session headOwner / registry labelOwner): stored governance, registry alpha",
                "deadline: stored 2030-01-01T00:00:00Z, registry 2030-01-01T00:00:01Z",
                "batchSize: stored 32, registry 64",
                "seed: stored 7, registry 8",
                "bottomLayers: stored [4, 2], registry [4, 3]",
                "headLayers: stored [4, 1], registry [8, 1]",
                "optimiser: stored Optimiser[kind=ADAM, learningRate=0.02, beta1=0.9, beta2=0.999, epsilon=1.0E-8, weightDecay=0.0],"
                        + " registry Optimiser[kind=ADAM, learningRate=0.01, beta1=0.5, beta2=0.999, epsilon=1.0E-8, weightDecay=0.0]");
    }

    private static VerticalRoundView registry(List<String> parties, String labelOwner, String labelSource,
            Instant deadline, VerticalRoundView.Training training, VerticalRoundView.Architecture architecture) {
        return new VerticalRoundView(1, "fraud", 2, VerticalRoundState.OPEN, deadline.minusSeconds(600), deadline,
                null, training.windows(), 1, null, null, null, null, null, "models/fraud/vrounds/2/outcome.json",
                Map.of(), parties, labelOwner, labelSource, architecture, training, null);
    }

    @Test
    void keysRouteToTheStepTheyTrigger() {
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/session.json"))
                .contains(new VerticalObject.SessionDeclared("fraud", "psi-1"));
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/sets/beta/2/alpha.points"))
                .contains(new VerticalObject.BlindedSet(PsiKeys.parse("models/fraud/vrounds/psi/psi-1/sets/beta/2/alpha.points").orElseThrow()));
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/round.json"))
                .contains(new VerticalObject.RoundDeclared("fraud", 3));
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/steps/0/gradients/beta.safetensors"))
                .contains(new VerticalObject.Gradient(new StepKeys.StepKey("fraud", 3, 0, StepKeys.Kind.GRADIENT, "beta")));
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/head/1.safetensors"))
                .contains(new VerticalObject.HeadState("fraud", 3, 1, "governance"));
        assertThat(VerticalObject.parse("domains/alpha/vertical/fraud/vrounds/3/head/1.safetensors"))
                .contains(new VerticalObject.HeadState("fraud", 3, 1, "alpha"));
        // Not triggers: a party's bottom state, the shared labels, an update, the outcome.
        assertThat(VerticalObject.parse("domains/alpha/vertical/fraud/vrounds/3/bottom/1.safetensors")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/vrounds/psi/psi-1/labels/alpha.labels.json")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/rounds/3/updates/alpha.safetensors")).isEmpty();
        assertThat(VerticalObject.parse("models/fraud/vrounds/3/outcome.json")).isEmpty();
    }
}
