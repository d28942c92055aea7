package io.meshfl.mesh.demo;

import io.meshfl.mesh.evaluation.DomainEvaluation;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.HoldOutEvaluator;
import io.meshfl.mesh.federation.ParticipationReader;
import io.meshfl.mesh.federation.RoundOutcome;
import io.meshfl.mesh.report.RoundResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A round's result as the report shows it: the global model it left, measured on every domain's hold-out split,
 * and who took part, as the registry recorded it.
 */
final class RoundResults {

    private final HoldOutEvaluator evaluator;
    private final GlobalModels globals;
    private final ParticipationReader participation;

    RoundResults(HoldOutEvaluator evaluator, GlobalModels globals, ParticipationReader participation) {
        this.evaluator = evaluator;
        this.globals = globals;
        this.participation = participation;
    }

    RoundResult of(RoundOutcome outcome) {
        DomainEvaluation evaluation = evaluator.federated(globals.read(outcome.nextGlobalModelKey()));
        Map<String, Double> domains = new LinkedHashMap<>();
        evaluation.domains().forEach((domain, metrics) -> domains.put(domain, metrics.accuracy()));
        return new RoundResult(outcome.round(), participation.read(outcome.roundId()), evaluation.union().accuracy(),
                evaluation.union().loss(), domains, outcome.seconds());
    }
}
