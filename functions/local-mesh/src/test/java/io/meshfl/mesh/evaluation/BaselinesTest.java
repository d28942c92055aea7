package io.meshfl.mesh.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.dataset.GaussianMixtureGenerator;
import io.meshfl.mesh.federation.InitialWeights;
import io.meshfl.mesh.federation.ModelPlan;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.training.model.Architecture;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Evaluation and baselines on the training function's real DJL code, on a small well-separated mixture. */
class BaselinesTest {

    private static final ModelPlan PLAN = ModelPlan.demo("t", "p", 4, 3, "fedavg", 2, 5);
    private static FederatedSplit split;
    private static HoldOutEvaluator evaluator;
    private static ModelWeights initial;

    @BeforeAll
    static void startEngine() {
        TorchEngine.start(Path.of(System.getProperty("meshfl.test.work-dir", "target/test-work")), OptionalInt.of(1));
        split = FederatedSplit.of(new GaussianMixtureGenerator(1_500, 4, 3, 1, 3.0).generate(3), List.of("a", "b"),
                1.0, 3);
        evaluator = new HoldOutEvaluator(Architecture.mlp(PLAN.inputs(), PLAN.hidden(), PLAN.classes()), split,
                ModelPlan.FEATURE_SCALING);
        initial = InitialWeights.glorotUniform(PLAN, 5);
    }

    @Test
    void theUnionFiguresArePooledByHoldOutRowsFromTheDomainFigures() {
        DomainEvaluation evaluation = evaluator.federated(initial);

        int rowsA = split.shares().get(0).holdOut().rows();
        int rowsB = split.shares().get(1).holdOut().rows();
        Metrics a = evaluation.domains().get("a");
        Metrics b = evaluation.domains().get("b");
        assertThat(evaluation.union().accuracy())
                .isCloseTo((a.accuracy() * rowsA + b.accuracy() * rowsB) / (rowsA + rowsB),
                        org.assertj.core.data.Offset.offset(1e-12));
        assertThat(evaluation.union().loss())
                .isCloseTo((a.loss() * rowsA + b.loss() * rowsB) / (rowsA + rowsB), org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void theCentralisedBaselineLearnsWhatTheInitialModelDoesNotKnow() {
        double before = evaluator.federated(initial).union().accuracy();

        Metrics centralized = new Baselines(evaluator, trainer()).centralized(initial, 3);

        assertThat(centralized.accuracy()).isGreaterThan(0.85).isGreaterThan(before + 0.2);
    }

    @Test
    void thereIsOneLocalOnlyBaselinePerDomainAndTrainingIsRepeatable() {
        Map<String, Metrics> first = new Baselines(evaluator, trainer()).localOnly(initial, 2);
        Map<String, Metrics> second = new Baselines(evaluator, trainer()).localOnly(initial, 2);

        assertThat(first).containsOnlyKeys("a", "b");
        assertThat(second).isEqualTo(first);
    }

    private static RoundTrainer trainer() {
        return new RoundTrainer(evaluator.architecture(), PLAN.localEpochs(), PLAN.batchSize(), PLAN.learningRate(),
                PLAN.optimizer(), PLAN.seed(), ModelPlan.FEATURE_SCALING);
    }
}
