package io.meshfl.mesh.vertical;

import java.util.function.Supplier;

/**
 * Model selection and early stopping, the same for every model the vertical demo compares: after each pass over the
 * training entities the model scores the validation entities (training entities set aside by a public rule, never the
 * held-out ones), and the pass with the lowest validation loss (mean binary cross-entropy; with 1–2 % positives far
 * steadier than a validation AUC over a handful of positives) is the one evaluated on the held-out entities. Ties go
 * to the earlier pass. Training stops once the best pass is {@code patience} passes old ({@link #exhausted}).
 */
final class PassSelection {

    /** The chosen pass, its validation loss, its logits of the held-out entities and how many passes ran. */
    record Selected(int pass, double validationLoss, float[] evalLogits, int passesRun) {
    }

    private final float[] labels;
    private final int[] validationRows;
    private Selected best;
    private int lastPass;

    /** @param labels 0/1 per row; {@code validationRows} index them in the order the validation logits come */
    PassSelection(float[] labels, int[] validationRows) {
        if (validationRows.length == 0) {
            throw new IllegalArgumentException("Model selection needs at least one validation entity");
        }
        this.labels = labels;
        this.validationRows = validationRows.clone();
    }

    /** Offers a pass; {@code evalLogits} is computed only if the pass is the best so far. */
    void offer(int pass, float[] validationLogits, Supplier<float[]> evalLogits) {
        double loss = meanLoss(validationLogits);
        lastPass = pass;
        if (best == null || loss < best.validationLoss()) {
            best = new Selected(pass, loss, evalLogits.get(), pass);
        }
    }

    /** Early stopping: {@code patience} passes have run since the best one (never, for a patience of 0). */
    boolean exhausted(int patience) {
        return patience > 0 && best != null && lastPass - best.pass() >= patience;
    }

    Selected selected() {
        if (best == null) {
            throw new IllegalStateException("No pass was offered");
        }
        return new Selected(best.pass(), best.validationLoss(), best.evalLogits(), lastPass);
    }

    /** Mean sigmoid binary cross-entropy of the logits against the labels, computed stably. */
    double meanLoss(float[] logits) {
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double z = logits[i];
            double y = labels[validationRows[i]];
            sum += Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
        }
        return sum / logits.length;
    }
}
