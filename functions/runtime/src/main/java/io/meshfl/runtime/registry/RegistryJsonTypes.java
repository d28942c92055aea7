package io.meshfl.runtime.registry;

import io.meshfl.registry.api.CompletedRound;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.DomainRegistration;
import io.meshfl.registry.api.DomainView;
import io.meshfl.registry.api.DueRound;
import io.meshfl.registry.api.EnrolmentView;
import io.meshfl.registry.api.EventRelay;
import io.meshfl.registry.api.ExpiredRound;
import io.meshfl.registry.api.MetricsReport;
import io.meshfl.registry.api.RegistryException;
import io.meshfl.registry.api.RoundState;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateRegistration;
import io.meshfl.registry.api.UpdateView;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The registry client reads and writes these with its own ObjectMapper, which Quarkus does not see: a native
 * image needs them registered for reflection (native-build/README.md, native-build/reflection-coverage.sh).
 */
@RegisterForReflection(targets = {
        RoundView.class, RoundState.class, RoundView.StrategySpec.class, RoundView.Policy.class,
        RoundView.DifferentialPrivacy.class, RoundView.Staleness.class, RoundView.TrainingSpec.class,
        RoundView.Enrolment.class, RoundView.Column.class, DomainView.class, DomainRegistration.class,
        EnrolmentView.class, UpdateView.class, UpdateRegistration.class, UpdateRegistration.UpdateStatus.class,
        Completion.class, CompletedRound.class, MetricsReport.class, RegistryException.FieldError.class,
        DueRound.class, DueRound.Action.class, ExpiredRound.class, EventRelay.class})
final class RegistryJsonTypes {

    private RegistryJsonTypes() {
    }
}
