package io.meshfl.training.train;

import io.meshfl.training.dataproduct.FeatureScaling;
import io.meshfl.training.dataproduct.HoldOutSplit;
import io.meshfl.training.dataproduct.Standardization;
import io.meshfl.training.dataproduct.TabularData;

/**
 * How a domain trains in round r, in one place: the rows are split with the hold-out fraction seeded by the round
 * number, scaled with statistics of the training rows only, and trained with the model's settings and the round's
 * own seed. The training function and the demo's baselines both use this, so the headline comparison (federated
 * against local-only and centralised) compares like with like.
 *
 * @param base the model's training settings; its seed is the model's, not yet the round's
 * @param scaling how features are scaled before training
 * @param holdOutFraction share of each domain's rows kept for evaluation, in (0, 1)
 */
public record RoundRecipe(TrainingSettings base, FeatureScaling scaling, double holdOutFraction) {

    /** The training function's default ({@code meshfl.training.hold-out-fraction}). */
    public static final String DEFAULT_HOLD_OUT_FRACTION = "0.2";

    public RoundRecipe {
        if (base == null || scaling == null) {
            throw new IllegalArgumentException("a round recipe needs training settings and a feature scaling");
        }
        if (!(holdOutFraction > 0 && holdOutFraction < 1)) {
            throw new IllegalArgumentException("hold-out fraction must be in (0, 1), was " + holdOutFraction);
        }
    }

    /** The recipe with the default hold-out fraction. */
    public static RoundRecipe of(TrainingSettings base, FeatureScaling scaling) {
        return new RoundRecipe(base, scaling, Double.parseDouble(DEFAULT_HOLD_OUT_FRACTION));
    }

    /** The settings of round {@code round}: the model's seed joined with the round, so each round has its own order. */
    public TrainingSettings settings(int round) {
        return new TrainingSettings(base.localEpochs(), base.batchSize(), base.learningRate(), base.optimizer(),
                base.seed() * 31 + round, base.fedproxMu(), base.clipNorm());
    }

    /**
     * The round's rows: split (the same rows every time for the same round) and scaled with the training rows'
     * statistics, so the hold-out rows stay unseen.
     */
    public HoldOutSplit split(TabularData rows, int round) {
        HoldOutSplit split = HoldOutSplit.of(rows, holdOutFraction, round);
        Standardization statistics = scaling.fit(split.train());
        return new HoldOutSplit(statistics.apply(split.train()), statistics.apply(split.holdOut()));
    }
}
