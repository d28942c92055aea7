package io.meshfl.training.function;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.funqy.Funq;
import org.jboss.logging.Logger;

/**
 * The Knative entry point: a Trigger on the registry's {@code meshfl.round.opened} events, so the domain trains as
 * soon as a round opens. The event's data is the registry's round; the domain is the one this function serves.
 * Refused rounds (not enrolled, closed meanwhile, bad data product) are acknowledged with no response event.
 */
public class RoundOpenedFunction {

    private static final Logger LOG = Logger.getLogger(RoundOpenedFunction.class);

    private final DomainTraining training;
    private final TrainingConfig config;

    RoundOpenedFunction(DomainTraining training, TrainingConfig config) {
        this.training = training;
        this.config = config;
    }

    /** The part of the registry's round the trigger needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RoundOpened(String model, int number) {
    }

    @Funq("round-opened")
    public TrainResult roundOpened(RoundOpened round) {
        if (round == null) {
            throw new TrainingRefused(400, "Bad request", "The event's data must be the opened round {model, number}");
        }
        try {
            return training.trainWithOwnToken(new TrainRequest(round.model(), config.domain(), null));
        } catch (TrainingRefused e) {
            // Every domain's function hears every round: a model this domain is not enrolled in, or a round that
            // closed meanwhile, is answered and not redelivered (a retry cannot change the answer).
            LOG.infof("Not training for round %d of model '%s': %s", round.number(), round.model(), e.getMessage());
            return null;
        }
    }
}
