package io.meshfl.mesh.evaluation;

import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.ModelWeights;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.train.LocalTrainer;
import io.meshfl.training.train.OptimizerKind;
import io.meshfl.training.train.TrainingSettings;

/**
 * One round of local training exactly as the training function does it, in this process: split the rows with the
 * function's hold-out fraction seeded by the round, standardise with the training split's statistics, train the
 * configured epochs with the round's seed ({@code seed · 31 + round}).
 */
public final class RoundTrainer {

    /** The training function's default share of rows held out per round ({@code meshfl.training.hold-out-fraction}). */
    static final double TRAINING_HOLD_OUT_FRACTION = 0.2;

    private final Architecture architecture;
    private final LocalTrainer trainer = new LocalTrainer();
    private final int localEpochs;
    private final int batchSize;
    private final float learningRate;
    private final OptimizerKind optimizer;
    private final long seed;
    private final FeatureScaling scaling;

    public RoundTrainer(Architecture architecture, int localEpochs, int batchSize, double learningRate, String optimizer,
                        long seed, FeatureScaling scaling) {
        this.architecture = architecture;
        this.scaling = scaling;
        this.localEpochs = localEpochs;
        this.batchSize = batchSize;
        this.learningRate = (float) learningRate;
        this.optimizer = OptimizerKind.of(optimizer);
        this.seed = seed;
    }

    public ModelWeights train(ModelWeights start, TabularData rows, int round) {
        HoldOutSplit split = HoldOutSplit.of(rows, TRAINING_HOLD_OUT_FRACTION, round);
        TabularData train = scaling.fit(split.train()).apply(split.train());
        TrainingSettings settings = TrainingSettings.plain(localEpochs, batchSize, learningRate, optimizer,
                seed * 31 + round);
        try (TabularModel model = TabularModel.of(architecture, start)) {
            return trainer.train(model, start, train, settings).weights();
        }
    }

    public int examples(TabularData rows, int round) {
        return HoldOutSplit.of(rows, TRAINING_HOLD_OUT_FRACTION, round).train().rows();
    }
}
