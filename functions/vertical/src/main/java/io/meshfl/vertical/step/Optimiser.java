package io.meshfl.vertical.step;

import java.util.ArrayList;
import java.util.List;

/**
 * The update rule every party of a split model applies to its own parameters: plain SGD or Adam (Kingma and Ba 2015,
 * with bias correction), with optional decoupled weight decay (Loshchilov and Hutter 2019, PyTorch's {@code AdamW}):
 * each step first shrinks every parameter by the factor 1 − learning rate · {@code weightDecay}, then applies the
 * update, so the decay does not pass through Adam's normalisation (L2 added to the gradient would: a parameter whose
 * loss gradient is near zero would then move by a whole learning rate per step). For SGD the two are the same. Plain
 * Java over float arrays, so a step is a pure function of the stored state and the gradients: replaying it from the
 * same stored state gives the same bytes.
 */
public record Optimiser(Kind kind, float learningRate, float beta1, float beta2, float epsilon, float weightDecay) {

    public enum Kind { SGD, ADAM }

    public Optimiser {
        if (!(learningRate > 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("The learning rate must be a positive number, got " + learningRate);
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("The weight decay must be zero or a positive number, got " + weightDecay);
        }
    }

    public static Optimiser sgd(float learningRate) {
        return new Optimiser(Kind.SGD, learningRate, 0, 0, 0, 0);
    }

    public static Optimiser adam(float learningRate) {
        return new Optimiser(Kind.ADAM, learningRate, 0.9f, 0.999f, 1e-8f, 0);
    }

    /** This rule with decoupled weight decay {@code weightDecay} (0 for none). */
    public Optimiser withWeightDecay(float weightDecay) {
        return new Optimiser(kind, learningRate, beta1, beta2, epsilon, weightDecay);
    }

    /** A model's state before its first step: these parameters, zero moments. */
    public ParameterState initial(List<float[]> parameters) {
        List<float[]> zeros = kind == Kind.ADAM
                ? parameters.stream().map(p -> new float[p.length]).toList()
                : List.of();
        return new ParameterState(parameters, zeros, zeros, 0);
    }

    /** The state after one step with {@code gradients} (same order and sizes as the parameters). */
    public ParameterState step(ParameterState state, List<float[]> gradients) {
        List<float[]> parameters = state.parameters();
        if (gradients.size() != parameters.size()) {
            throw new IllegalArgumentException("Got " + gradients.size() + " gradients for " + parameters.size()
                    + " parameters");
        }
        long t = state.steps() + 1;
        List<float[]> next = new ArrayList<>(parameters.size());
        List<float[]> firstMoments = new ArrayList<>();
        List<float[]> secondMoments = new ArrayList<>();
        double correction1 = 1 - Math.pow(beta1, t);
        double correction2 = 1 - Math.pow(beta2, t);
        for (int i = 0; i < parameters.size(); i++) {
            float[] p = parameters.get(i);
            float[] g = gradients.get(i);
            if (g.length != p.length) {
                throw new IllegalArgumentException("Gradient " + i + " has " + g.length + " values, the parameter "
                        + p.length);
            }
            if (weightDecay > 0) {
                float[] decayed = new float[p.length];
                for (int j = 0; j < p.length; j++) {
                    decayed[j] = p[j] * (1 - learningRate * weightDecay);
                }
                p = decayed;
            }
            float[] out = new float[p.length];
            if (kind == Kind.SGD) {
                for (int j = 0; j < p.length; j++) {
                    out[j] = p[j] - learningRate * g[j];
                }
            } else {
                float[] m = state.firstMoments().get(i).clone();
                float[] v = state.secondMoments().get(i).clone();
                for (int j = 0; j < p.length; j++) {
                    m[j] = beta1 * m[j] + (1 - beta1) * g[j];
                    v[j] = beta2 * v[j] + (1 - beta2) * g[j] * g[j];
                    double mHat = m[j] / correction1;
                    double vHat = v[j] / correction2;
                    out[j] = (float) (p[j] - learningRate * mHat / (Math.sqrt(vHat) + epsilon));
                }
                firstMoments.add(m);
                secondMoments.add(v);
            }
            next.add(out);
        }
        return new ParameterState(next, firstMoments, secondMoments, t);
    }
}
