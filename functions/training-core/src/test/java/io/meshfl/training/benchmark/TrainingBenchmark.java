package io.meshfl.training.benchmark;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.training.SyntheticDataProduct;
import io.meshfl.training.TestWeights;
import io.meshfl.training.dataproduct.ColumnType;
import io.meshfl.training.dataproduct.DataProductFile;
import io.meshfl.training.dataproduct.DataProductFormat;
import io.meshfl.training.dataproduct.DataProductReader;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.Standardization;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.dataproduct.Target;
import io.meshfl.training.engine.TorchEngine;
import io.meshfl.training.evaluate.Evaluator;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.train.LocalTrainer;
import io.meshfl.training.train.OptimizerKind;
import io.meshfl.training.train.TrainingSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

/**
 * Engine start time and training throughput of DJL/PyTorch, against a plain-Java softmax regression doing the same
 * SGD in the same run. Not a test: run it by hand (see training-function/README.md).
 *
 * <p>Arguments: {@code [workDir] [rows] [repetitions]} (defaults target/benchmark-work, 20000, 5).
 */
public final class TrainingBenchmark {

    private static final int FEATURES = 20;
    private static final int EPOCHS = 3;
    private static final int BATCH = 32;
    private static final float LEARNING_RATE = 0.05f;

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of(args.length > 0 ? args[0] : "target/benchmark-work");
        int rowCount = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : 5;

        boolean warmCache = Files.isDirectory(workDir.resolve("djl").resolve("pytorch"));
        TorchEngine.Started started = TorchEngine.start(workDir, OptionalInt.of(1));

        SyntheticDataProduct product = SyntheticDataProduct.classification(rowCount, FEATURES, 5);
        Path csv = product.writeCsv(workDir.resolve("benchmark.csv"));
        DataProductFile file = new DataProductFile("benchmark", csv, DataProductFormat.CSV);
        DataProductReader reader = new DataProductReader(1);
        // The first read also loads DuckDB's native library; the second is what a warm function pays.
        long readStart = System.nanoTime();
        reader.read(file, product.schema(ColumnType.INTEGER), new Target.ClassIndices(2));
        double firstReadSeconds = (System.nanoTime() - readStart) / 1e9;
        readStart = System.nanoTime();
        TabularData data = reader.read(file, product.schema(ColumnType.INTEGER), new Target.ClassIndices(2));
        double readSeconds = (System.nanoTime() - readStart) / 1e9;
        HoldOutSplit split = HoldOutSplit.of(data, 0.2, 1);
        Standardization statistics = Standardization.of(split.train());
        TabularData train = statistics.apply(split.train());
        TabularData holdOut = statistics.apply(split.holdOut());

        Architecture logistic = Architecture.logisticRegression(FEATURES, 2);
        Architecture mlp = Architecture.mlp(FEATURES, List.of(64, 32), 2);
        ModelWeights logisticGlobal = TestWeights.gaussian(logistic, 42, 0.1);
        ModelWeights mlpGlobal = TestWeights.gaussian(mlp, 42, 0.1);
        TrainingSettings settings = TrainingSettings.plain(EPOCHS, BATCH, LEARNING_RATE, OptimizerKind.SGD, 11);
        long examples = (long) train.rows() * EPOCHS;

        // Warm up both paths once (JIT, libtorch kernels), then keep the best of the repetitions.
        double djlLogistic = Double.MAX_VALUE;
        double djlMlp = Double.MAX_VALUE;
        double plain = Double.MAX_VALUE;
        double djlLoss = 0;
        double plainLoss = 0;
        for (int r = 0; r <= repetitions; r++) {
            long begin = System.nanoTime();
            try (TabularModel model = TabularModel.of(logistic, logisticGlobal)) {
                new LocalTrainer().train(model, logisticGlobal, train, settings);
                double seconds = (System.nanoTime() - begin) / 1e9;
                djlLoss = new Evaluator().evaluate(model, holdOut).loss();
                djlLogistic = r == 0 ? djlLogistic : Math.min(djlLogistic, seconds);
            }
            begin = System.nanoTime();
            try (TabularModel model = TabularModel.of(mlp, mlpGlobal)) {
                new LocalTrainer().train(model, mlpGlobal, train, settings);
                double seconds = (System.nanoTime() - begin) / 1e9;
                djlMlp = r == 0 ? djlMlp : Math.min(djlMlp, seconds);
            }
            begin = System.nanoTime();
            PlainJavaLogisticRegression baseline = new PlainJavaLogisticRegression(FEATURES, 2,
                    logisticGlobal.values().get(0), logisticGlobal.values().get(1));
            baseline.train(train, EPOCHS, BATCH, LEARNING_RATE, 11);
            double seconds = (System.nanoTime() - begin) / 1e9;
            plainLoss = baseline.meanCrossEntropy(holdOut);
            plain = r == 0 ? plain : Math.min(plain, seconds);
        }

        System.out.printf(Locale.ROOT, "engine start: %.2f s (libtorch %s, cache %s, %s)%n",
                started.startTime().toNanos() / 1e9, started.version(), started.cacheDir(),
                warmCache ? "already unpacked" : "unpacked now");
        System.out.printf(Locale.ROOT,
                "data product: %d rows x %d features read from CSV in %.3f s (first read, loading DuckDB: %.3f s)%n",
                data.rows(), FEATURES, readSeconds, firstReadSeconds);
        System.out.printf(Locale.ROOT, "training: %d rows, %d epochs, batch %d, SGD lr %.2f, 1 thread, best of %d%n",
                train.rows(), EPOCHS, BATCH, LEARNING_RATE, repetitions);
        System.out.printf(Locale.ROOT, "  plain Java logistic regression: %,.0f examples/s (hold-out loss %.4f)%n",
                examples / plain, plainLoss);
        System.out.printf(Locale.ROOT, "  DJL logistic regression:        %,.0f examples/s (hold-out loss %.4f)%n",
                examples / djlLogistic, djlLoss);
        System.out.printf(Locale.ROOT, "  DJL MLP 20-64-32-2:             %,.0f examples/s%n", examples / djlMlp);
        System.out.printf(Locale.ROOT, "ratio DJL / plain Java (logistic regression throughput): %.3f%n",
                plain / djlLogistic);
    }
}
