package io.meshfl.core.strategy;

/** Aggregating this round would spend more (ε, δ) than the model's budget allows: the round must not close. */
public final class PrivacyBudgetExceededException extends CannotAggregate {

    public PrivacyBudgetExceededException(String message) {
        super(message);
    }
}
