package io.meshfl.runtime.registry;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The registry client reads and writes these with its own ObjectMapper, which Quarkus does not see: a native
 * image needs them registered for reflection (native-build/README.md, native-build/reflection-coverage.sh).
 */
@RegisterForReflection(targets = {
        RoundView.class, RoundView.RoundState.class, RoundView.StrategySpec.class, RoundView.Policy.class,
        RoundView.DifferentialPrivacy.class, RoundView.TrainingSpec.class, RoundView.Enrolment.class,
        DomainView.class, UpdateView.class, UpdateRegistration.class, UpdateRegistration.UpdateStatus.class,
        Completion.class, CompletedRound.class, MetricsReport.class, RegistryException.FieldError.class})
final class RegistryJsonTypes {

    private RegistryJsonTypes() {
    }
}
