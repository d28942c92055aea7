package io.meshfl.registry.version;

import io.meshfl.registry.input.FiniteNumbers;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Domains report how a round's global model did on their hold-out data; one report per (round, domain). */
@ApplicationScoped
public class EvaluationService {

    private static final String INSERT = """
            INSERT INTO evaluation (round_id, domain_id, num_examples, metrics)
            VALUES (:round, :domain, :examples, :metrics)
            ON CONFLICT (round_id, domain_id) DO NOTHING""";

    private final JsonColumns json;

    public EvaluationService(JsonColumns json) {
        this.json = json;
    }

    /** What {@link #report} did, so the resource can answer 201 or 200. */
    public record Result(boolean created, EvaluationView evaluation) {
    }

    public Uni<Result> report(Caller caller, Long roundId, EvaluationReport report) {
        if (report == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        ResourceIds.check("domain", errors.require("domain", report.domain()), errors);
        Long examples = errors.require("numExamples", report.numExamples());
        if (examples != null && examples < 0) {
            errors.add("numExamples", "must not be negative, was " + examples);
        }
        if (report.metrics() == null || !report.metrics().isObject()) {
            errors.add("metrics", "must be an object such as {loss, accuracy, auc, rmse}");
        } else {
            report.metrics().fields().forEachRemaining(metric -> {
                if (!metric.getValue().isNumber()) {
                    errors.add("metrics." + metric.getKey(), "must be a number");
                } else {
                    FiniteNumbers.check("metrics." + metric.getKey(), metric.getValue(), errors);
                }
            });
        }
        errors.throwIfAny();
        caller.requireActingFor(report.domain());
        return Panache.withTransaction(() -> Round.<Round>findById(roundId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .chain(round -> Enrolment.count("modelId = ?1 and domainId = ?2", round.modelId, report.domain()))
                .chain(enrolled -> {
                    if (enrolled == 0) {
                        throw Problem.forbidden("Domain '" + report.domain() + "' is not enrolled in this round's model");
                    }
                    return Panache.getSession().chain(session -> session.createNativeQuery(INSERT)
                            .setParameter("round", roundId)
                            .setParameter("domain", report.domain())
                            .setParameter("examples", report.numExamples())
                            .setParameter("metrics", json.write(report.metrics()))
                            .executeUpdate());
                })
                .chain(rows -> Evaluation.<Evaluation>find("roundId = ?1 and domainId = ?2", roundId, report.domain())
                        .<Evaluation>firstResult()
                        .map(stored -> new Result(rows == 1, view(stored, rows != 1)))));
    }

    EvaluationView view(Evaluation evaluation, boolean duplicate) {
        return new EvaluationView(evaluation.roundId, evaluation.domainId, evaluation.numExamples,
                json.tree(evaluation.metrics), duplicate);
    }
}
