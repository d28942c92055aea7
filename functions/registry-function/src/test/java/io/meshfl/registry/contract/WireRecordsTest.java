package io.meshfl.registry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.meshfl.registry.api.CloseOutcome;
import io.meshfl.registry.api.CompletedRound;
import io.meshfl.registry.api.DomainView;
import io.meshfl.registry.api.ExpiredRound;
import io.meshfl.registry.api.MetricsReport;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration;
import io.meshfl.registry.api.UpdateView;
import io.meshfl.registry.api.VerticalOutcome;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.round.CloseResult;
import io.meshfl.registry.round.Completion;
import io.meshfl.registry.round.CompletionResult;
import io.meshfl.registry.round.CurrentRoundView;
import io.meshfl.registry.round.DueRound;
import io.meshfl.registry.round.ExpiryResult;
import io.meshfl.registry.version.EvaluationReport;
import io.meshfl.registry.vertical.VerticalModelDefinition;
import io.meshfl.registry.vertical.VerticalOutcomeRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Where the registry keeps a server-side record beside the client's ({@code functions/registry-api}), the two have
 * the same JSON shape, property by property and recursively: a field added, renamed or dropped on one side only
 * fails here, with its JSON path. (The round-trip in {@link RegistryApiContractTest} catches an answer field the
 * client lacks; this catches the reverse too, a client field the server never fills, as {@code featureScaling} once
 * was.)
 *
 * <p>Why the server keeps its own record for these: requests are read into boxed fields so that a missing number is
 * a field error, not a silent 0 ({@link io.meshfl.registry.update.UpdateRegistration}, {@link EvaluationReport},
 * {@link Completion}); answers are projections of the entities with the entities' enums and timestamps, and omit
 * nulls; the client's {@link RoundView} reads both the round answer and the current-round answer. The records that
 * are the same on both sides are the registry-api records, used by the resources directly.
 */
class WireRecordsTest {

    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of(io.meshfl.registry.domain.DomainView.class, DomainView.class),
                Arguments.of(io.meshfl.registry.update.UpdateView.class, UpdateView.class),
                Arguments.of(CloseResult.class, CloseOutcome.Won.class),
                Arguments.of(CompletionResult.class, CompletedRound.class),
                Arguments.of(ExpiryResult.class, ExpiredRound.class),
                Arguments.of(DueRound.class, io.meshfl.registry.api.DueRound.class),
                // A vertical round's settings are the stored definition's, copied into the client's record.
                Arguments.of(VerticalModelDefinition.Training.class, VerticalRoundView.Training.class),
                Arguments.of(VerticalModelDefinition.Architecture.class, VerticalRoundView.Architecture.class));
    }

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of(UpdateRegistration.class, io.meshfl.registry.update.UpdateRegistration.class),
                Arguments.of(io.meshfl.registry.api.Completion.class, Completion.class),
                Arguments.of(MetricsReport.class, EvaluationReport.class),
                Arguments.of(VerticalOutcome.class, VerticalOutcomeRequest.class));
    }

    @ParameterizedTest(name = "{0} answers what {1} reads")
    @MethodSource("answers")
    void theServersAnswerHasTheClientsShape(Class<?> server, Class<?> client) {
        // Wherever an answer holds a round, the client reads it with its one RoundView.
        WireShape answer = WireShape.replacing(WireShape.written(JSON, server),
                io.meshfl.registry.round.RoundView.class.getName(), serversRound());

        assertThat(WireShape.differences(answer, WireShape.read(JSON, client), client.getSimpleName())).isEmpty();
    }

    @ParameterizedTest(name = "{1} reads what {0} sends")
    @MethodSource("requests")
    void theServerReadsTheClientsRequest(Class<?> client, Class<?> server) {
        assertThat(WireShape.differences(WireShape.read(JSON, server), WireShape.written(JSON, client),
                client.getSimpleName())).isEmpty();
    }

    @Test
    void theClientsRoundIsTheServersRoundAndCurrentRoundTogether() {
        assertThat(WireShape.differences(serversRound(), WireShape.read(JSON, RoundView.class), "RoundView"))
                .isEmpty();
    }

    /** What the client's {@link RoundView} reads: a round answer, or the current-round answer with its settings. */
    private static WireShape serversRound() {
        return WireShape.union((WireShape.Obj) WireShape.written(JSON, io.meshfl.registry.round.RoundView.class),
                (WireShape.Obj) WireShape.written(JSON, CurrentRoundView.class));
    }

    @Test
    void aFieldOnOneSideOnlyIsNamedWithItsPath() {
        record ServerTraining(Integer localEpochs, String featureScaling) {
        }
        record ClientTraining(Integer localEpochs) {
        }
        record ServerRound(long roundId, ServerTraining training) {
        }
        record ClientRound(Long roundId, ClientTraining training, String extra) {
        }

        List<String> found = WireShape.differences(WireShape.written(JSON, ServerRound.class),
                WireShape.read(JSON, ClientRound.class), "round");

        assertThat(found).containsExactlyInAnyOrder(
                "round.training.featureScaling: only the server's " + ServerTraining.class.getName() + " has it",
                "round.extra: only the client's " + ClientRound.class.getName() + " has it");
    }
}
