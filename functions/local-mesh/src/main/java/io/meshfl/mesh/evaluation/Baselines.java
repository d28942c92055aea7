package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.InMemoryAggregation;
import io.meshfl.core.strategy.InMemoryWeights;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.mesh.federation.PoisonedDomain;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.dataproduct.TabularData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The two references the federated model is compared with, trained in this process with the training function's
 * own code from the same initial weights, with the same settings, for the same number of rounds:
 * <ul>
 *   <li>local only: a domain training alone on its own data product, round after round;</li>
 *   <li>centralised: one party training on the union of every domain's data product, round after round;</li>
 *   <li>a replay: the same federation, same rounds, same attacker, aggregated with another strategy.</li>
 * </ul>
 */
public final class Baselines {

    private final HoldOutEvaluator evaluator;
    private final RoundTrainer trainer;

    public Baselines(HoldOutEvaluator evaluator, RoundTrainer trainer) {
        this.evaluator = evaluator;
        this.trainer = trainer;
    }

    public Map<String, Metrics> localOnly(ModelWeights initial, int rounds) {
        Map<String, Metrics> local = new LinkedHashMap<>();
        for (String domain : evaluator.domains()) {
            TabularData rows = evaluator.published(domain);
            local.put(domain, evaluator.onUnion(train(initial, rows, rounds), evaluator.scaling().fit(rows)));
        }
        return local;
    }

    public Metrics centralized(ModelWeights initial, int rounds) {
        TabularData rows = evaluator.unionPublished();
        return evaluator.onUnion(train(initial, rows, rounds), evaluator.scaling().fit(rows));
    }

    /**
     * The federation replayed in this process with {@code strategy}: each round every domain trains from the replay's
     * global model with the training function's code, the {@code poisoned} domain sends the same attack as in the
     * mesh ({@link PoisonedDomain#poison}), and core's strategy aggregates them. Answers "what would FedAvg have made
     * of the same attack?" without a second mesh.
     */
    public Metrics replay(ModelWeights initial, int rounds, Strategy strategy, Optional<String> poisoned) {
        ModelWeights global = initial;
        ServerState state = ServerState.empty();
        for (int round = 1; round <= rounds; round++) {
            List<ClientUpdate> updates = new ArrayList<>();
            for (String domain : evaluator.domains()) {
                TabularData rows = evaluator.published(domain);
                ModelWeights update = trainer.train(global, rows, round);
                if (poisoned.filter(domain::equals).isPresent()) {
                    update = PoisonedDomain.poison(update, global);
                }
                updates.add(new ClientUpdate(domain, trainer.examples(rows, round), new InMemoryWeights(ModelInputs.flat(update))));
            }
            InMemoryAggregation.Result result;
            try {
                result = InMemoryAggregation.aggregate(strategy, ModelInputs.flat(global), updates, state);
            } catch (IOException e) { // in-memory weights: only a strategy bug gets here
                throw new UncheckedIOException(e);
            }
            global = ModelInputs.unflat(result.model(), global);
            state = result.outcome().state();
        }
        return evaluator.federated(global).union();
    }

    private ModelWeights train(ModelWeights initial, TabularData rows, int rounds) {
        ModelWeights weights = initial;
        for (int round = 1; round <= rounds; round++) {
            weights = trainer.train(weights, rows, round);
        }
        return weights;
    }
}
