package io.meshfl.registry.problem;

/** One bad field of a request: a JSON path such as {@code policy.minDomains} or {@code outputPorts[0].server}. */
public record FieldError(String field, String message) {
}
