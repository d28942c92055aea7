package io.meshfl.registry.problem;

import java.util.List;
import java.util.Map;

/**
 * A failure a caller caused, as RFC 9457 problem details. Thrown from services; {@link ProblemMapper} turns it
 * into {@code application/problem+json}. Nothing has been written when one is thrown inside a transaction.
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public Problem(int status, String title, String detail, List<FieldError> errors, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = List.copyOf(errors);
        this.extensions = Map.copyOf(extensions);
    }

    public static Problem invalid(List<FieldError> errors) {
        String fields = String.join(", ", errors.stream().map(FieldError::field).distinct().toList());
        return new Problem(400, "Invalid request", "Invalid field(s): " + fields, errors, Map.of());
    }

    public static Problem invalid(String field, String message) {
        return invalid(List.of(new FieldError(field, message)));
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "Not found", detail, List.of(), Map.of());
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "Forbidden", detail, List.of(), Map.of());
    }

    public static Problem conflict(String detail) {
        return new Problem(409, "Conflict", detail, List.of(), Map.of());
    }

    /** A conflict that tells the loser what the winner left behind (e.g. the round's current state). */
    public static Problem conflict(String detail, String member, Object value) {
        return new Problem(409, "Conflict", detail, List.of(), Map.of(member, value));
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<FieldError> errors() {
        return errors;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
