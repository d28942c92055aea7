package io.meshfl.core.strategy;

import io.meshfl.core.strategy.kernel.AdaptiveStep;

/** Reddi et al. 2021 with the server optimizer Yogi: v moves towards the squared pseudo-gradient additively, so it grows slowly. */
public final class FedYogi extends AdaptiveStrategy {

    public static final String NAME = "fedyogi";

    public FedYogi(double eta, double beta1, double beta2, double tau) {
        super(AdaptiveStep.Rule.YOGI, eta, beta1, beta2, tau);
    }

    @Override
    public String name() {
        return NAME;
    }
}
