package io.meshfl.training.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.training.SyntheticDataProduct;
import io.meshfl.training.TestEngine;
import io.meshfl.training.TestWeights;
import io.meshfl.training.dataproduct.ColumnType;
import io.meshfl.training.dataproduct.DataProductFile;
import io.meshfl.training.dataproduct.DataProductFormat;
import io.meshfl.training.dataproduct.DataProductReader;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.Standardization;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.dataproduct.Target;
import io.meshfl.training.evaluate.Evaluator;
import io.meshfl.training.evaluate.Metrics;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local training on a synthetic data product: 2,000 rows, 20 features, a known linear separator. */
class LocalTrainerTest {

    private static final Architecture LOGISTIC = Architecture.logisticRegression(20, 2);
    private static final Architecture MLP = Architecture.mlp(20, List.of(64, 32), 2);
    private static final TrainingSettings SGD = TrainingSettings.plain(3, 32, 0.05f, OptimizerKind.SGD, 11);

    private static HoldOutSplit classification;
    private static HoldOutSplit regression;

    private final LocalTrainer trainer = new LocalTrainer();
    private final Evaluator evaluator = new Evaluator();

    @BeforeAll
    static void prepare(@TempDir Path dir) {
        TestEngine.start();
        DataProductReader reader = new DataProductReader(1);
        SyntheticDataProduct separable = SyntheticDataProduct.classification(2000, 20, 5);
        classification = standardised(reader.read(new DataProductFile("separable",
                separable.writeCsv(dir.resolve("separable.csv")), DataProductFormat.CSV),
                separable.schema(ColumnType.INTEGER), new Target.ClassIndices(2)));
        SyntheticDataProduct linear = SyntheticDataProduct.regression(2000, 20, 6);
        regression = standardised(reader.read(new DataProductFile("linear",
                linear.writeParquet(dir.resolve("linear.parquet"), "DOUBLE"), DataProductFormat.PARQUET),
                linear.schema(ColumnType.NUMBER), new Target.Continuous()));
    }

    private static HoldOutSplit standardised(TabularData data) {
        HoldOutSplit split = HoldOutSplit.of(data, 0.2, 1);
        Standardization statistics = Standardization.of(split.train());
        return new HoldOutSplit(statistics.apply(split.train()), statistics.apply(split.holdOut()));
    }

    @Test
    void oneLocalTrainingLowersTheHoldOutLossOfLogisticRegression() {
        assertTrainingImproves(LOGISTIC, classification, SGD);
    }

    @Test
    void oneLocalTrainingLowersTheHoldOutLossOfAnMlpWithAdam() {
        Metrics trained = assertTrainingImproves(MLP, classification,
                TrainingSettings.plain(3, 32, 0.005f, OptimizerKind.ADAM, 11));

        assertThat(trained.accuracy()).isGreaterThan(0.9);
        assertThat(trained.auc()).isGreaterThan(0.95);
    }

    @Test
    void oneLocalTrainingLowersTheHoldOutRmseOfAnMlpRegressor() {
        Architecture regressor = Architecture.mlpRegressor(20, List.of(32));
        ModelWeights global = TestWeights.gaussian(regressor, 42, 0.1);
        try (TabularModel model = TabularModel.of(regressor, global)) {
            Metrics before = evaluator.evaluate(model, regression.holdOut());

            trainer.train(model, global, regression.train(), TrainingSettings.plain(3, 32, 0.01f, OptimizerKind.ADAM, 3));
            Metrics after = evaluator.evaluate(model, regression.holdOut());

            assertThat(after.rmse()).isLessThan(before.rmse() / 2);
        }
    }

    @Test
    void sameSeedTrainsTheSameWeightsBitForBitAndAnotherSeedOthers() {
        ModelWeights global = TestWeights.gaussian(MLP, 42, 0.1);

        ModelWeights first = train(MLP, global, SGD).weights();
        ModelWeights again = train(MLP, global, SGD).weights();
        ModelWeights otherSeed = train(MLP, global, TrainingSettings.plain(3, 32, 0.05f, OptimizerKind.SGD, 12))
                .weights();

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @Test
    void fedproxWithMuZeroEqualsPlainTraining() {
        ModelWeights global = TestWeights.gaussian(MLP, 42, 0.1);

        ModelWeights plain = train(MLP, global, SGD).weights();
        ModelWeights proximalZero = train(MLP, global, SGD.withFedproxMu(0)).weights();
        ModelWeights proximal = train(MLP, global, SGD.withFedproxMu(0.5)).weights();

        assertThat(proximalZero).isEqualTo(plain);
        assertThat(proximal).isNotEqualTo(plain);
    }

    @Test
    void fedproxWithAHugeMuKeepsTheUpdateCloseToTheGlobalModel() {
        ModelWeights global = TestWeights.gaussian(LOGISTIC, 42, 0.1);

        double plain = train(LOGISTIC, global, SGD).weights().distanceTo(global);
        double moderate = train(LOGISTIC, global, SGD.withFedproxMu(1)).weights().distanceTo(global);
        // With SGD the proximal term pulls w back by lr·μ·(w − w_global) per step: lr·μ = 0.5 here.
        double huge = train(LOGISTIC, global, SGD.withFedproxMu(10)).weights().distanceTo(global);

        assertThat(moderate).isLessThan(plain);
        assertThat(huge).isLessThan(moderate).isLessThan(plain / 10);
    }

    @Test
    void clipsTheUpdateToTheConfiguredNorm() {
        ModelWeights global = TestWeights.gaussian(LOGISTIC, 42, 0.1);

        LocalUpdate update = train(LOGISTIC, global, SGD.withClipNorm(0.1));

        assertThat(update.clipped()).isTrue();
        assertThat(update.updateNorm()).isGreaterThan(0.1);
        assertThat(update.weights().distanceTo(global)).isLessThanOrEqualTo(0.1 + 1e-6);
    }

    private Metrics assertTrainingImproves(Architecture architecture, HoldOutSplit split, TrainingSettings settings) {
        ModelWeights global = TestWeights.gaussian(architecture, 42, 0.1);
        try (TabularModel model = TabularModel.of(architecture, global)) {
            Metrics before = evaluator.evaluate(model, split.holdOut());

            LocalUpdate update = trainer.train(model, global, split.train(), settings);
            Metrics after = evaluator.evaluate(model, split.holdOut());

            assertThat(update.examples()).isEqualTo(1600);
            assertThat(after.loss()).isLessThan(before.loss() / 2);
            assertThat(after.accuracy()).isGreaterThan(before.accuracy());
            try (TabularModel reloaded = TabularModel.of(architecture, update.weights())) {
                assertThat(evaluator.evaluate(reloaded, split.holdOut())).isEqualTo(after);
            }
            return after;
        }
    }

    private LocalUpdate train(Architecture architecture, ModelWeights global, TrainingSettings settings) {
        try (TabularModel model = TabularModel.of(architecture, global)) {
            return trainer.train(model, global, classification.train(), settings);
        }
    }
}
