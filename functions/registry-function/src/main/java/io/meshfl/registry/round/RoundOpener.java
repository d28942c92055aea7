package io.meshfl.registry.round;

import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;

/**
 * Creates an OPEN round inside the caller's transaction (first round, next round, or a retry after FAILED), with
 * its deadline on the database's clock and the domains it expects recorded in it.
 */
@ApplicationScoped
public class RoundOpener {

    private final ModelService models;
    private final DatabaseClock clock;

    public RoundOpener(ModelService models, DatabaseClock clock) {
        this.models = models;
        this.clock = clock;
    }

    public Uni<Round> open(Model model, int number, String globalModelKey) {
        ModelDefinition definition = models.definition(model);
        ModelDefinition.Policy policy = definition.policy();
        Long seed = definition.training() == null ? null : definition.training().seed();
        return activeEnrolledDomains(model.id).chain(candidates -> clock.now().chain(now -> {
            Round round = new Round();
            round.modelId = model.id;
            round.number = number;
            round.state = Round.State.OPEN;
            round.globalModelKey = globalModelKey;
            round.openedAt = now;
            round.deadline = now.plus(Duration.ofSeconds(policy.roundDeadlineSeconds()));
            round.expectedDomains = ParticipantSample.choose(candidates, policy, model.id, seed, number);
            return round.persist();
        }));
    }

    /** A suspended domain is not expected: its updates are rejected anyway. */
    private static Uni<List<String>> activeEnrolledDomains(String modelId) {
        return Enrolment.<Enrolment>list("modelId = ?1", modelId).chain(enrolments -> {
            List<String> ids = enrolments.stream().map(e -> e.domainId).toList();
            if (ids.isEmpty()) {
                return Uni.createFrom().item(List.<String>of());
            }
            return Domain.<Domain>list("id in ?1 and status = ?2", ids, Domain.Status.ACTIVE)
                    .map(domains -> domains.stream().map(d -> d.id).sorted().toList());
        });
    }
}
