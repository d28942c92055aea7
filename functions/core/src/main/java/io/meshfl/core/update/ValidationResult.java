package io.meshfl.core.update;

/** What the validator decided about one update: accepted with its metadata and norm, or rejected with a reason. */
public sealed interface ValidationResult {

    boolean accepted();

    /**
     * The update may be counted with weight {@code numExamples}; {@code updateNorm} is the L2 norm of
     * (update − global), NaN without a global. {@code metadata} is null only for a plain weights file, which the
     * expectation must have allowed ({@link UpdateExpectation#allowPlainFiles()}).
     */
    record Accepted(UpdateMetadata metadata, long numExamples, double updateNorm) implements ValidationResult {

        public Accepted(UpdateMetadata metadata, double updateNorm) {
            this(metadata, metadata.numExamples(), updateNorm);
        }

        @Override
        public boolean accepted() {
            return true;
        }
    }

    /** The update must not be counted; {@code reason} names the tensor, field or key that was wrong. */
    record Rejected(String reason) implements ValidationResult {
        @Override
        public boolean accepted() {
            return false;
        }
    }
}
