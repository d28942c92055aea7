package io.meshfl.registry.model;

/** The governance's approval for a domain to train a model with a data product. */
public record EnrolmentRequest(String domain, String dataProduct) {
}
