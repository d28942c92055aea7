package io.meshfl.registry.round;

import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.OffsetDateTime;

/** Creates an OPEN round inside the caller's transaction (first round, next round, or a retry after FAILED). */
@ApplicationScoped
public class RoundOpener {

    private final ModelService models;

    public RoundOpener(ModelService models) {
        this.models = models;
    }

    public Uni<Round> open(Model model, int number, String globalModelKey) {
        ModelDefinition.Policy policy = models.definition(model).policy();
        OffsetDateTime now = OffsetDateTime.now();
        Round round = new Round();
        round.modelId = model.id;
        round.number = number;
        round.state = Round.State.OPEN;
        round.globalModelKey = globalModelKey;
        round.openedAt = now;
        round.deadline = now.plus(Duration.ofSeconds(policy.roundDeadlineSeconds()));
        return round.persist();
    }
}
