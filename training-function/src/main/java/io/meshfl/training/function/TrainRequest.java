package io.meshfl.training.function;

/**
 * "Train model {@code model} for domain {@code domain} now", as a domain's scheduler sends it.
 *
 * @param dataProduct optional: the data product the caller expects to train on; refused if it is not the one
 *     enrolled for the model
 */
public record TrainRequest(String model, String domain, String dataProduct) {
}
