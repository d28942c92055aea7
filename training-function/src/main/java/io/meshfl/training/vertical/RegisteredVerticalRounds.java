package io.meshfl.training.vertical;

import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.VerticalOutcome;
import io.meshfl.registry.api.VerticalOutcomeResult;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.api.VerticalScoringOutcome;
import io.meshfl.registry.api.VerticalScoringOutcomeResult;
import io.meshfl.training.function.TrainingConfig;
import io.meshfl.vertical.scoring.ScoringOutcome;
import io.meshfl.vertical.step.RoundOutcome;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The registry's vertical rounds as a training function (a party, or the head) uses them, with the function's own
 * registry token ({@code meshfl.training.registry-token}): the round to check stored settings against, the rounds due
 * for the deadline sweep, and the outcome to record once {@code outcome.json} is settled (a round's, a scoring's). A refusal by the registry
 * (4xx) is a {@link VerticalRefusal} naming it; an unreachable or failing registry is thrown as it is, so the event is
 * retried.
 */
@ApplicationScoped
public class RegisteredVerticalRounds {

    private final RegistryConnection registry;
    private final Optional<String> token;

    RegisteredVerticalRounds(RegistryConnection registry, TrainingConfig config) {
        this.registry = registry;
        this.token = config.registryToken();
    }

    /** Round {@code number} of the model with its settings; refused when the registry has not opened it. */
    public VerticalRoundView round(String model, int number) {
        return call(() -> client().verticalRound(model, number)).orElseThrow(() -> new VerticalRefusal(
                "The registry has no round " + number + " of vertical model '" + model + "': a round is stepped only"
                        + " once the registry has opened it (POST /vertical-models/" + model + "/rounds)"));
    }

    /** OPEN rounds past their deadline on the registry's clock (a governance or function token). */
    public List<VerticalRoundView> due() {
        return call(() -> client().dueVerticalRounds());
    }

    /**
     * Records the stored outcome in the registry. The first outcome wins there as in the store, so a repeat (or a
     * round some other caller recorded first) is answered {@code recorded: false}, which is fine: the store's
     * {@code outcome.json} was settled first and is what every later recording repeats.
     */
    public VerticalOutcomeResult record(RoundOutcome outcome) {
        VerticalOutcome reported = outcome.failed()
                ? VerticalOutcome.failed(outcome.window(), outcome.missing(), outcome.reason())
                : VerticalOutcome.completed(outcome.window());
        return call(() -> client().recordVerticalOutcome(outcome.model(), outcome.round(), reported));
    }

    /**
     * Records a scoring's stored outcome in the registry, as {@link #record(RoundOutcome)} does for rounds: the first
     * outcome wins there too, so a repeat is answered {@code recorded: false}.
     */
    public VerticalScoringOutcomeResult record(ScoringOutcome outcome) {
        VerticalScoringOutcome reported = outcome.failed() ? VerticalScoringOutcome.failed(outcome.reason())
                : VerticalScoringOutcome.done(outcome.scoresKey());
        return call(() -> client().recordVerticalScoringOutcome(outcome.model(), outcome.scoring(), reported));
    }

    private RegistryClient client() {
        return registry.as(token.orElseThrow(() -> new VerticalRefusal("meshfl.training.registry-token is not set"
                + " (MESHFL_TRAINING_REGISTRY_TOKEN): vertical steps check every round against the registry's and"
                + " record its outcome there")));
    }

    private static <T> T call(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RegistryException e) {
            if (e.transientFailure()) {
                throw e;
            }
            throw new VerticalRefusal("Refused by the registry: " + e.getMessage(), e);
        }
    }
}
