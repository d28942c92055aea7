package io.meshfl.mesh.dataset;

import java.util.Random;

/**
 * Samples from a symmetric Dirichlet(α, …, α) distribution by normalising independent Gamma(α, 1) draws.
 * Small α concentrates the mass on few components (strong skew); large α approaches the uniform split.
 */
final class Dirichlet {

    private final double alpha;
    private final Random random;

    Dirichlet(double alpha, Random random) {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet concentration must be a positive finite number, was " + alpha);
        }
        this.alpha = alpha;
        this.random = random;
    }

    double[] sample(int dimensions) {
        double[] draws = new double[dimensions];
        double sum = 0;
        for (int i = 0; i < dimensions; i++) {
            draws[i] = gamma(alpha);
            sum += draws[i];
        }
        if (sum == 0) {
            // Every Gamma draw underflowed (tiny α): all the mass goes to one component, as in the limit α → 0.
            draws[random.nextInt(dimensions)] = 1;
            return draws;
        }
        for (int i = 0; i < dimensions; i++) {
            draws[i] /= sum;
        }
        return draws;
    }

    /** Marsaglia and Tsang (2000); shapes below 1 use the boost Gamma(a) = Gamma(a + 1) · U^(1/a). */
    private double gamma(double shape) {
        if (shape < 1) {
            return gamma(shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
