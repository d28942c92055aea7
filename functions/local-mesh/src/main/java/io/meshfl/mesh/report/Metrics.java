package io.meshfl.mesh.report;

/** A model's quality on the common hold-out set (the union of the domains' hold-out splits). */
public record Metrics(double accuracy, double loss) {
}
