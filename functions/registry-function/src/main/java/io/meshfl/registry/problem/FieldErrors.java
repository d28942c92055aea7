package io.meshfl.registry.problem;

import java.util.ArrayList;
import java.util.List;

/** Collects every bad field of a request so the caller learns all of them at once, not one per attempt. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String message) {
        errors.add(new FieldError(field, message));
        return this;
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** Throws a 400 {@link Problem} naming every collected field, if there is any. */
    public void throwIfAny() {
        if (!errors.isEmpty()) {
            throw Problem.invalid(errors);
        }
    }

    public String require(String field, String value) {
        if (value == null || value.isBlank()) {
            add(field, "is required");
        }
        return value;
    }

    public <T> T require(String field, T value) {
        if (value == null) {
            add(field, "is required");
        }
        return value;
    }
}
