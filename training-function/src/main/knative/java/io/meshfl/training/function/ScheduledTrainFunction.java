package io.meshfl.training.function;

import io.quarkus.funqy.Funq;

/**
 * The Knative entry point of a domain's schedule: a PingSource (or the CronJob's curl) delivers
 * {@code {model, domain, dataProduct?}} to {@code /train}. Funqy Knative routes a request to a path by the function's
 * name, and a request to {@code /} by CloudEvent type (application.properties maps the PingSource's type here), so
 * a PingSource whose sink has no path trains too. The function uses its configured domain token with the registry,
 * as the Lambda's {@code train} does.
 */
public class ScheduledTrainFunction {

    private final DomainTraining training;

    ScheduledTrainFunction(DomainTraining training) {
        this.training = training;
    }

    @Funq("train")
    public TrainResult train(TrainRequest request) {
        if (request == null) {
            throw new TrainingRefused(400, "Bad request", "The event's data must be {model, domain, dataProduct?}");
        }
        return training.trainWithOwnToken(request);
    }
}
