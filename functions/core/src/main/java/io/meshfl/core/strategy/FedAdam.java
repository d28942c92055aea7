package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.AdaptiveStep;

/** Reddi et al. 2021 with the server optimizer Adam: v is an exponential average of squared pseudo-gradients. */
public final class FedAdam extends AdaptiveStrategy {

    public static final String NAME = "fedadam";

    public FedAdam(double eta, double beta1, double beta2, double tau) {
        super(AdaptiveStep.Rule.ADAM, eta, beta1, beta2, tau);
    }

    @Override
    public String name() {
        return NAME;
    }
}
