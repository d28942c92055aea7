package io.meshfl.mesh.vertical;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options of {@code ./meshfl demo --mode vertical} that the horizontal demo does not have. The shared ones
 * ({@code --dataset}, {@code --label}, {@code --domains}, {@code --rounds}, {@code --data-dir}, {@code --seed},
 * {@code --deadline}) keep their meaning; a vertical round is one pass over the training entities, and
 * {@code --rounds} is the most passes a model may run (60 unless given; each stops {@code --patience} passes after
 * its best validation loss).
 */
public class VerticalOptions {

    static final String HORIZONTAL = "horizontal";
    static final String VERTICAL = "vertical";

    @Option(names = "--mode", defaultValue = HORIZONTAL, paramLabel = "MODE",
            description = "horizontal (domains hold different rows; default) or vertical (domains hold different"
                    + " columns of the same entities: private set intersection, then split learning).")
    String mode;

    @Option(names = "--entity-key", paramLabel = "COLUMN",
            description = "Vertical mode: the column of --dataset naming the entity (default: the row number).")
    String entityKey;

    @Option(names = "--columns", paramLabel = "SPEC",
            description = "Vertical mode: which domain holds which columns, 'd1:a,b;d2:c,d' (default: the feature"
                    + " columns dealt to --domains domains in contiguous groups of the file's order).")
    String columns;

    @Option(names = "--entities", defaultValue = "5000", paramLabel = "N",
            description = "Vertical mode: entities of the generated dataset (default: ${DEFAULT-VALUE}).")
    int entities;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "B",
            description = "Vertical mode: entities per batch window (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.02", paramLabel = "LR",
            description = "Vertical mode: Adam's learning rate for every model compared (default: ${DEFAULT-VALUE}).")
    float learningRate;

    @Option(names = "--patience", defaultValue = "10", paramLabel = "P",
            description = "Vertical mode: every model compared stops training once its validation loss has not improved"
                    + " for P passes (0: run every pass; default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "L2",
            description = "Vertical mode: L2 weight decay (PyTorch's weight_decay) for every model compared"
                    + " (default: ${DEFAULT-VALUE}).")
    float weightDecay;

    @Option(names = "--folds", defaultValue = "0", paramLabel = "K",
            description = "Vertical mode: compare the models by stratified K-fold cross-validation over the aligned"
                    + " entities (per fold: one fold tests, the next validates, the rest train; every model on the same"
                    + " folds) instead of one hold-out; K ≥ 3, 0 for one hold-out (default: ${DEFAULT-VALUE}).")
    int folds;

    @Option(names = "--repeats", defaultValue = "1", paramLabel = "R",
            description = "Vertical mode with --folds: repeat the cross-validation R times, each with folds dealt anew"
                    + " (default: ${DEFAULT-VALUE}).")
    int repeats;

    public boolean vertical() {
        return VERTICAL.equals(mode);
    }

    /** Every problem with these options, each naming the option. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (!HORIZONTAL.equals(mode) && !VERTICAL.equals(mode)) {
            problems.add("--mode must be horizontal or vertical, was '" + mode + "'");
        }
        if (!vertical() && (entityKey != null || columns != null)) {
            problems.add("--entity-key and --columns are only meaningful with --mode vertical");
        }
        if (entities < 50 || entities > 1_000_000) {
            problems.add("--entities must be between 50 and 1000000, was " + entities);
        }
        if (!(learningRate > 0) || learningRate > 1) {
            problems.add("--learning-rate must be in (0, 1], was " + learningRate);
        }
        if (!(weightDecay >= 0) || weightDecay > 1) {
            problems.add("--weight-decay must be in [0, 1], was " + weightDecay);
        }
        if (patience < 0) {
            problems.add("--patience must be 0 or more, was " + patience);
        }
        if (folds != 0 && (folds < 3 || folds > 20)) {
            problems.add("--folds must be 0 (one hold-out) or between 3 and 20, was " + folds);
        }
        if (repeats < 1 || repeats > 10) {
            problems.add("--repeats must be between 1 and 10, was " + repeats);
        }
        if (repeats > 1 && folds == 0) {
            problems.add("--repeats needs --folds");
        }
        if (batchSize < 1) {
            problems.add("--batch-size must be at least 1, was " + batchSize);
        }
        return problems;
    }
}
