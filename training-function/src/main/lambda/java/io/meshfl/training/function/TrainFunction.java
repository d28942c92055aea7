package io.meshfl.training.function;

import io.quarkus.funqy.Funq;

/**
 * The Lambda entry point: an EventBridge Scheduler rule (or a function URL behind IAM) invokes it with
 * {@code {model, domain, dataProduct?}}. The function uses its configured domain token with the registry.
 */
public class TrainFunction {

    private final DomainTraining training;

    TrainFunction(DomainTraining training) {
        this.training = training;
    }

    @Funq("train")
    public TrainResult train(TrainRequest request) {
        if (request == null) {
            throw new TrainingRefused(400, "Bad request", "The event must be {model, domain, dataProduct?}");
        }
        return training.trainWithOwnToken(request);
    }
}
