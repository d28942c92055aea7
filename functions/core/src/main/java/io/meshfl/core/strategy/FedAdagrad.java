package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.AdaptiveStep;

/** Reddi et al. 2021 with the server optimizer Adagrad: v accumulates every squared pseudo-gradient. */
public final class FedAdagrad extends AdaptiveStrategy {

    public static final String NAME = "fedadagrad";

    public FedAdagrad(double eta, double beta1, double tau) {
        super(AdaptiveStep.Rule.ADAGRAD, eta, beta1, 0, tau);
    }

    @Override
    public String name() {
        return NAME;
    }
}
