package io.meshfl.registry.api;

/**
 * An approved (domain, data product) pair of a model ({@code /models/{id}/enrolments}); {@code records} is the data
 * product's declared record count at approval (null if it declares none), the bound on the domain's example counts.
 */
public record EnrolmentView(String model, String domain, String dataProduct, Long records) {
}
