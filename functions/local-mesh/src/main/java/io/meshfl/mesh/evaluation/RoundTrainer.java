package io.meshfl.mesh.evaluation;

import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.TabularData;
import io.meshfl.training.model.Architecture;
import io.meshfl.training.model.TabularModel;
import io.meshfl.training.train.LocalTrainer;
import io.meshfl.training.train.OptimizerKind;
import io.meshfl.training.train.RoundRecipe;
import io.meshfl.training.train.TrainingSettings;

/**
 * One round of local training in this process with the training function's own {@link RoundRecipe} (split, scaling
 * and round seed) and its default hold-out fraction: the baselines and the poisoned domain train as a domain does.
 */
public final class RoundTrainer {

    private final Architecture architecture;
    private final LocalTrainer trainer = new LocalTrainer();
    private final RoundRecipe recipe;

    public RoundTrainer(Architecture architecture, int localEpochs, int batchSize, double learningRate, String optimizer,
                        long seed, FeatureScaling scaling) {
        this.architecture = architecture;
        this.recipe = RoundRecipe.of(TrainingSettings.plain(localEpochs, batchSize, (float) learningRate,
                OptimizerKind.of(optimizer), seed), scaling);
    }

    public ModelWeights train(ModelWeights start, TabularData rows, int round) {
        TabularData train = recipe.split(rows, round).train();
        try (TabularModel model = TabularModel.of(architecture, start)) {
            return trainer.train(model, start, train, recipe.settings(round)).weights();
        }
    }

    public int examples(TabularData rows, int round) {
        return recipe.split(rows, round).train().rows();
    }
}
