package io.meshfl.vertical.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.meshfl.training.TestEngine;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.vertical.psi.InMemoryObjectStore;
import io.meshfl.vertical.step.BottomStep;
import io.meshfl.vertical.step.HeadStep;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.ParameterState;
import io.meshfl.vertical.step.StepOutcome;
import io.meshfl.vertical.step.TwoPartySplit;
import io.meshfl.vertical.step.VerticalRound;
import io.meshfl.vertical.step.WindowPlan;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One batch of a two-party split model, with embeddings and gradients exchanged as safetensors files (and, second, the
 * whole step protocol through the object store), against one
 * centralised DJL model of the same combined architecture (each bottom MLP on its slice of the columns, outputs
 * concatenated, the head on top) holding the same parameter values.
 */
class SplitStepTest {

    private static final int ROWS = 16;
    private static final int ALPHA_COLUMNS = 3;
    private static final int BETA_COLUMNS = 4;
    private static final List<Integer> ALPHA_LAYERS = List.of(8, 4);
    private static final List<Integer> BETA_LAYERS = List.of(6, 3);
    private static final List<Integer> HEAD_LAYERS = List.of(5, 1);

    @BeforeAll
    static void engine() {
        TestEngine.start();
    }

    @Test
    void theSplitStepsGradientsMatchTheCentralisedModelsOnOneBatch(@TempDir Path exchange) throws Exception {
        // Prepare: one batch; alpha holds columns 0..2, beta columns 3..6 of the same (aligned) rows; beta's labels.
        Random random = new Random(7);
        float[] all = new float[ROWS * (ALPHA_COLUMNS + BETA_COLUMNS)];
        for (int i = 0; i < all.length; i++) {
            all[i] = (float) random.nextGaussian();
        }
        float[] labels = new float[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = random.nextBoolean() ? 1 : 0;
        }
        float[] alphaFeatures = columns(all, 0, ALPHA_COLUMNS);
        float[] betaFeatures = columns(all, ALPHA_COLUMNS, BETA_COLUMNS);

        try (BottomModel alpha = new BottomModel("alpha", ALPHA_COLUMNS, ALPHA_LAYERS);
                BottomModel beta = new BottomModel("beta", BETA_COLUMNS, BETA_LAYERS);
                HeadModel head = new HeadModel(List.of(4, 3), HEAD_LAYERS)) {

            // Execute, split: each party embeds, the head steps, each party back-propagates its gradient.
            alpha.embed(alphaFeatures, ROWS).write(exchange.resolve("alpha.safetensors"), Map.of("domain", "alpha"));
            beta.embed(betaFeatures, ROWS).write(exchange.resolve("beta.safetensors"), Map.of("domain", "beta"));
            HeadModel.Step step = head.step(List.of(
                    BatchTensor.read(exchange.resolve("alpha.safetensors"), BottomModel.EMBEDDING),
                    BatchTensor.read(exchange.resolve("beta.safetensors"), BottomModel.EMBEDDING)), labels);
            step.embeddingGradients().get(0).write(exchange.resolve("alpha-grad.safetensors"), Map.of());
            step.embeddingGradients().get(1).write(exchange.resolve("beta-grad.safetensors"), Map.of());
            List<float[]> alphaGradients = alpha.backward(alphaFeatures, ROWS,
                    BatchTensor.read(exchange.resolve("alpha-grad.safetensors"), BottomModel.EMBEDDING_GRADIENT));
            List<float[]> betaGradients = beta.backward(betaFeatures, ROWS,
                    BatchTensor.read(exchange.resolve("beta-grad.safetensors"), BottomModel.EMBEDDING_GRADIENT));

            // Execute, centralised: the same parameters in one model, one forward and backward on all columns.
            List<float[]> sameParameters = new ArrayList<>(alpha.mlp().values());
            sameParameters.addAll(beta.mlp().values());
            sameParameters.addAll(head.mlp().values());
            Centralised central = Centralised.run(all, labels, sameParameters);

            // Assert: every parameter's gradient, in the same order, and the loss.
            List<float[]> splitGradients = new ArrayList<>(alphaGradients);
            splitGradients.addAll(betaGradients);
            splitGradients.addAll(step.headGradients());
            assertThat(splitGradients).hasSameSizeAs(central.gradients()).hasSize(12);
            for (int i = 0; i < splitGradients.size(); i++) {
                assertThat(splitGradients.get(i)).as("gradient of parameter %d", i)
                        .containsExactly(central.gradients().get(i), org.assertj.core.data.Offset.offset(1e-5f));
            }
            assertThat(step.loss()).isCloseTo(central.loss(), org.assertj.core.data.Offset.offset(1e-6f));
            // Not vacuous: the gradients are not all zero.
            assertThat(splitGradients.stream().mapToDouble(SplitStepTest::maxAbs).min().orElseThrow())
                    .isGreaterThan(1e-4);
        }
    }

    @Test
    void theStepProtocolThroughTheObjectStoreAppliesTheCentralisedModelsGradientsOnOneBatch() {
        // Prepare: the same two-party architecture as above, one window of 16 rows, plain SGD with learning rate 1 so
        // that each stored state minus the next is exactly the gradient the protocol applied.
        TwoPartySplit split = new TwoPartySplit(ROWS, 9);
        WindowPlan plan = split.plan(ROWS);
        VerticalRound round = split.round(1, plan, Instant.parse("2100-01-01T00:00:00Z"), Optimiser.sgd(1f));
        InMemoryObjectStore store = new InMemoryObjectStore("one-batch");
        Clock clock = Clock.systemUTC();
        HeadStep head = split.head(plan, clock);
        BottomStep alpha = split.bottom("alpha", plan);
        BottomStep beta = split.bottom("beta", plan);

        // Execute: every step through stored, signed embeddings and gradients, as the events would drive it.
        head.begin(store, round);
        alpha.begin(store, round);
        beta.begin(store, round);
        StepOutcome headStep = head.advance(store, round, 0);
        alpha.onGradient(store, round, 0);
        beta.onGradient(store, round, 0);
        int[] rows = plan.positions(1, 0);
        Centralised central = Centralised.run(split.allColumns(rows), split.labels(rows), split.initialParameters());

        // Assert: the applied gradients of both bottoms and the head, and the loss, are the centralised model's.
        List<float[]> applied = new ArrayList<>(appliedGradients(store, round.bottomStateKey("alpha", 1, 0),
                round.bottomStateKey("alpha", 1, 1)));
        applied.addAll(appliedGradients(store, round.bottomStateKey("beta", 1, 0), round.bottomStateKey("beta", 1, 1)));
        applied.addAll(appliedGradients(store, round.headStateKey(1, 0), round.headStateKey(1, 1)));
        assertThat(applied).hasSize(12);
        for (int i = 0; i < applied.size(); i++) {
            assertThat(applied.get(i)).as("gradient of parameter %d", i)
                    .containsExactly(central.gradients().get(i), org.assertj.core.data.Offset.offset(1e-5f));
        }
        assertThat(((StepOutcome.Applied) headStep).loss())
                .isCloseTo(central.loss(), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(applied.stream().mapToDouble(SplitStepTest::maxAbs).min().orElseThrow()).isGreaterThan(1e-4);
    }

    /** What a plain SGD step with learning rate 1 applied: the state before minus the state after. */
    private static List<float[]> appliedGradients(InMemoryObjectStore store, String beforeKey, String afterKey) {
        List<float[]> before = ParameterState.read(store, beforeKey).parameters();
        List<float[]> after = ParameterState.read(store, afterKey).parameters();
        List<float[]> gradients = new ArrayList<>();
        for (int i = 0; i < before.size(); i++) {
            float[] g = new float[before.get(i).length];
            for (int j = 0; j < g.length; j++) {
                g[j] = before.get(i)[j] - after.get(i)[j];
            }
            gradients.add(g);
        }
        return gradients;
    }

    @Test
    void aRepeatedBackwardReportsOnlyItsOwnBatchsGradients() {
        try (BottomModel alpha = new BottomModel("alpha", 2, List.of(3))) {
            float[] features = {1, 2, 3, 4};
            BatchTensor gradient = new BatchTensor(BottomModel.EMBEDDING_GRADIENT, 2, 3, new float[] {1, 0, 0, 0, 1, 0});

            List<float[]> first = alpha.backward(features, 2, gradient);
            List<float[]> second = alpha.backward(features, 2, gradient);

            // d/dW of sum(E ⊙ g) with E = XWᵀ + b: row 0 of W gets x0, row 1 gets x1, row 2 nothing; b gets Σ g.
            assertThat(second.get(0)).containsExactly(1, 2, 3, 4, 0, 0);
            assertThat(second.get(1)).containsExactly(1, 1, 0);
            assertThat(second.get(0)).containsExactly(first.get(0));
        }
    }

    @Test
    void mismatchedShapesAreRefusedNamingBoth() {
        try (BottomModel alpha = new BottomModel("alpha", 2, List.of(3));
                HeadModel head = new HeadModel(List.of(3), List.of(1))) {
            assertThatThrownBy(() -> alpha.backward(new float[4], 2, new BatchTensor("g", 2, 4, new float[8])))
                    .hasMessageContaining("[2, 4]").hasMessageContaining("[2, 3]");
            assertThatThrownBy(() -> head.step(List.of(new BatchTensor("e", 2, 2, new float[4])), new float[2]))
                    .hasMessageContaining("expected [2, 3]");
            assertThatThrownBy(() -> new HeadModel(List.of(3), List.of(4, 2))).hasMessageContaining("one logit");
        }
    }

    /** The centralised reference, built directly from DJL blocks (not from the split classes it checks). */
    private record Centralised(float loss, List<float[]> gradients) {

        static Centralised run(float[] features, float[] labels, List<float[]> parameters) {
            Block alphaBranch = branch(0, ALPHA_COLUMNS, ALPHA_LAYERS);
            Block betaBranch = branch(ALPHA_COLUMNS, BETA_COLUMNS, BETA_LAYERS);
            SequentialBlock block = new SequentialBlock()
                    .add(new ParallelBlock(outputs -> new NDList(NDArrays.concat(new NDList(
                            outputs.get(0).singletonOrThrow(), outputs.get(1).singletonOrThrow()), 1)),
                            List.of(alphaBranch, betaBranch)));
            layers(block, HEAD_LAYERS);
            try (Model model = Model.newInstance("centralised", TorchEngine.ENGINE_NAME)) {
                model.setBlock(block);
                block.initialize(model.getNDManager(), DataType.FLOAT32,
                        new Shape(1, ALPHA_COLUMNS + BETA_COLUMNS));
                List<NDArray> arrays = new ArrayList<>();
                for (Pair<String, Parameter> parameter : block.getParameters()) {
                    arrays.add(parameter.getValue().getArray());
                }
                for (int i = 0; i < arrays.size(); i++) {
                    arrays.get(i).set(parameters.get(i));
                    arrays.get(i).setRequiresGradient(true);
                }
                try (NDManager manager = model.getNDManager().newSubManager();
                        GradientCollector collector = Engine.getEngine(TorchEngine.ENGINE_NAME)
                                .newGradientCollector()) {
                    NDArray input = manager.create(features, new Shape(ROWS, ALPHA_COLUMNS + BETA_COLUMNS));
                    NDArray logits = block.forward(new ParameterStore(manager, false), new NDList(input), true)
                            .singletonOrThrow();
                    NDArray loss = Loss.sigmoidBinaryCrossEntropyLoss().evaluate(
                            new NDList(manager.create(labels, new Shape(ROWS, 1))), new NDList(logits));
                    collector.backward(loss);
                    return new Centralised(loss.getFloat(),
                            arrays.stream().map(a -> a.getGradient().toFloatArray()).toList());
                }
            }
        }

        private static Block branch(int from, int count, List<Integer> widths) {
            SequentialBlock branch = new SequentialBlock()
                    .add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, " + from + ":" + (from + count)))));
            layers(branch, widths);
            return branch;
        }

        private static void layers(SequentialBlock block, List<Integer> widths) {
            for (int layer = 0; layer < widths.size(); layer++) {
                if (layer > 0) {
                    block.add(Activation.reluBlock());
                }
                block.add(Linear.builder().setUnits(widths.get(layer)).build());
            }
        }
    }

    private static float[] columns(float[] rowMajor, int from, int count) {
        int width = ALPHA_COLUMNS + BETA_COLUMNS;
        float[] out = new float[ROWS * count];
        for (int row = 0; row < ROWS; row++) {
            System.arraycopy(rowMajor, row * width + from, out, row * count, count);
        }
        return out;
    }

    private static double maxAbs(float[] values) {
        double max = 0;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
