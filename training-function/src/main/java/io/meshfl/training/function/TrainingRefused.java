package io.meshfl.training.function;

/**
 * A trigger the function will not carry out, with the HTTP status that says why: 400 bad request, 401/403 not
 * allowed, 404 unknown model, 409 the round is not open, 422 the data product or global model cannot train.
 * Nothing has been uploaded when this is thrown.
 */
public class TrainingRefused extends RuntimeException {

    private final int status;
    private final String title;

    public TrainingRefused(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public TrainingRefused(int status, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
