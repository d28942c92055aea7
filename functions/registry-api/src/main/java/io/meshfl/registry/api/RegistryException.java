package io.meshfl.registry.api;

import java.util.List;

/**
 * The registry answered with an error (an RFC 9457 problem), or could not be reached ({@link #status()} 0). A
 * 4xx means this call was wrong or refused; a 5xx or 0 is worth retrying later.
 */
public class RegistryException extends RuntimeException {

    private final int status;
    private final String title;
    private final List<FieldError> errors;

    public RegistryException(String call, int status, String title, String detail, List<FieldError> errors) {
        super(call + " -> " + status + (title == null ? "" : " " + title) + (detail == null ? "" : ": " + detail)
                + (errors == null || errors.isEmpty() ? "" : " " + errors));
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public RegistryException(String call, Throwable cause) {
        super(call + " failed: the registry could not be reached (" + cause.getMessage() + ")", cause);
        this.status = 0;
        this.title = null;
        this.errors = List.of();
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

    /** True for failures a later retry may not see: unreachable, timeouts, 5xx. */
    public boolean transientFailure() {
        return status == 0 || status >= 500;
    }

    /** One entry of a problem's {@code errors}: which input field was wrong, and why. */
    public record FieldError(String field, String message) {
    }
}
