package io.meshfl.registry.api;

/** An approved (domain, data product) pair of a model ({@code /models/{id}/enrolments}). */
public record EnrolmentView(String model, String domain, String dataProduct) {
}
