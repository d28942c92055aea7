package io.meshfl.registry.update;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.registry.input.FiniteNumbers;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.model.ExampleBound;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.DatabaseClock;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.round.RoundMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Registers the aggregation function's verdict on an update, exactly once per (round, domain).
 *
 * <p>Object stores deliver events at least once, so the same update arrives again and again: the first
 * registration stands and every later one (same key and ETag, or a second file of the same domain) is answered
 * with the stored row, marked duplicate. One exception, when the model's policy says {@code resubmit: true}: a second
 * file of a domain whose update was REJECTED replaces it while the round is open and before its deadline, once per
 * ETag (an ACCEPTED update is never replaced). The round row is locked so that a registration and a concurrent close
 * serialise: an update is either seen by the close or registered as late. A registration that may be accepted
 * takes the lock FOR UPDATE, so that accepted registrations of one round also serialise with each other and the
 * count that enforces {@code maxDomains} is a compare-and-set (under a shared lock two registrations both counted
 * {@code accepted < max} and both were accepted); a rejection only needs FOR SHARE.
 *
 * <p>Time is the database's ({@link DatabaseClock}): an update registered at or after the round's deadline is late.
 */
@ApplicationScoped
public class UpdateRegistrar {

    /** What {@link #register} did, so the resource can answer 201 or 200; model and round name its event. */
    public record Result(boolean created, UpdateView update, String model, int round) {
    }

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    static final String INSERT = """
            INSERT INTO round_update (round_id, domain_id, data_product_id, data_product_version, object_key, etag,
                                      sha256, num_examples, base_round, metrics, status, reason)
            VALUES (:round, :domain, :product, :productVersion, :key, :etag, :sha256, :examples, :baseRound,
                    :metrics, :status, :reason)
            ON CONFLICT (round_id, domain_id) DO NOTHING""";
    private static final String REPLACE_REJECTED = """
            UPDATE round_update SET data_product_id = :product, data_product_version = :productVersion,
                                    object_key = :key, etag = :etag, sha256 = :sha256, num_examples = :examples,
                                    base_round = :baseRound, metrics = :metrics, status = :status, reason = :reason,
                                    registered_at = now()
            WHERE round_id = :round AND domain_id = :domain AND status = 'REJECTED' AND etag <> :etag""";

    private final JsonColumns json;
    private final ModelService models;
    private final UpdateViews views;
    private final RoundEvents events;
    private final RoundMetrics metrics;
    private final DatabaseClock clock;
    private final BufferedRegistration buffers;

    public UpdateRegistrar(JsonColumns json, ModelService models, UpdateViews views, RoundEvents events,
                           RoundMetrics metrics, DatabaseClock clock, BufferedRegistration buffers) {
        this.clock = clock;
        this.buffers = buffers;
        this.json = json;
        this.models = models;
        this.views = views;
        this.events = events;
        this.metrics = metrics;
    }

    public Uni<Result> register(Long roundId, UpdateRegistration request) {
        validate(request);
        LockModeType lock = request.status() == RoundUpdate.Status.ACCEPTED
                ? LockModeType.PESSIMISTIC_WRITE : LockModeType.PESSIMISTIC_READ;
        return Panache.withTransaction(() -> Round.<Round>findById(roundId, lock)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .chain(round -> Model.<Model>findById(round.modelId).chain(model ->
                                models.definition(model).policy().isAsync() ? buffers.register(round, model, request)
                                        : decide(round, request)))
                        .call(result -> !result.created() ? Uni.createFrom().voidItem() : events.record(
                                accepted(result) ? RoundEvents.UPDATE_ACCEPTED : RoundEvents.UPDATE_REJECTED,
                                result.model(), result.round(), result.update())))
                .invoke(result -> {
                    if (result.created()) {
                        metrics.updateRegistered(accepted(result));
                    }
                });
    }

    private static boolean accepted(Result result) {
        return result.update().status() == RoundUpdate.Status.ACCEPTED;
    }

    private static void validate(UpdateRegistration request) {
        if (request == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        ResourceIds.check("domain", errors.require("domain", request.domain()), errors);
        errors.require("objectKey", request.objectKey());
        errors.require("etag", request.etag());
        Long examples = errors.require("numExamples", request.numExamples());
        if (examples != null && examples < 0) {
            errors.add("numExamples", "must not be negative, was " + examples);
        }
        Integer baseRound = errors.require("baseRound", request.baseRound());
        if (baseRound != null && baseRound < 1) {
            errors.add("baseRound", "must be at least 1, was " + baseRound);
        }
        RoundUpdate.Status status = errors.require("status", request.status());
        if (status == RoundUpdate.Status.REJECTED && (request.reason() == null || request.reason().isBlank())) {
            errors.add("reason", "is required when status is REJECTED");
        }
        if (request.sha256() != null && !SHA256.matcher(request.sha256()).matches()) {
            errors.add("sha256", "must be 64 lower-case hex digits");
        }
        if (request.metrics() != null && !request.metrics().isObject() && !request.metrics().isNull()) {
            errors.add("metrics", "must be an object");
        }
        FiniteNumbers.check("metrics", request.metrics(), errors);
        errors.throwIfAny();
    }

    private Uni<Result> decide(Round round, UpdateRegistration request) {
        FieldErrors errors = new FieldErrors();
        if (request.baseRound() != round.number) {
            errors.add("baseRound", "round number mismatch: round " + round.id + " is number " + round.number
                    + ", the update says " + request.baseRound());
        }
        String expectedKey = ObjectKeys.update(round.modelId, round.number, request.domain());
        if (!expectedKey.equals(request.objectKey())) {
            errors.add("objectKey", "must be " + expectedKey + " for this round and domain");
        }
        errors.throwIfAny();
        return Domain.<Domain>findById(request.domain())
                .onItem().ifNull().failWith(() -> Problem.invalid("domain", "no enrolled domain '" + request.domain() + "'"))
                .chain(domain -> Enrolment.<Enrolment>find("modelId = ?1 and domainId = ?2", round.modelId, domain.id)
                        .<Enrolment>firstResult()
                        .chain(enrolment -> {
                            if (enrolment == null) {
                                return Uni.createFrom().item(new Verdict(null, null, "domain '" + domain.id
                                        + "' is not enrolled in model '" + round.modelId + "'", false));
                            }
                            return DataProduct.<DataProduct>findById(enrolment.dataProductId)
                                    .chain(product -> domain.status == Domain.Status.SUSPENDED
                                            ? Uni.createFrom().item(new Verdict(product.id, product.version,
                                                    "domain '" + domain.id + "' is suspended", false))
                                            : verdict(round, enrolment, product, request));
                        }))
                .chain(verdict -> insert(round, request, verdict).chain(inserted -> inserted || !verdict.resubmittable()
                        ? Uni.createFrom().item(inserted) : replaceRejected(round, request, verdict)))
                .chain(inserted -> RoundUpdate.<RoundUpdate>find("roundId = ?1 and domainId = ?2", round.id,
                                request.domain()).<RoundUpdate>firstResult()
                        .map(stored -> new Result(inserted, views.of(stored, !inserted), round.modelId, round.number)));
    }

    /**
     * Who contributed what, the registry's own reason to reject an update the function accepted, and whether this
     * registration may replace the domain's REJECTED one (policy {@code resubmit}, round open and in time).
     */
    private record Verdict(String dataProduct, String dataProductVersion, String rejection, boolean resubmittable) {
    }

    private Uni<Verdict> verdict(Round round, Enrolment enrolment, DataProduct product, UpdateRegistration request) {
        if (round.state != Round.State.OPEN) {
            return Uni.createFrom().item(new Verdict(product.id, product.version,
                    "late: round " + round.number + " is " + round.state, false));
        }
        return clock.now().chain(now -> Model.<Model>findById(round.modelId).chain(model -> {
            if (!now.isBefore(round.deadline)) {
                return Uni.createFrom().item(new Verdict(product.id, product.version,
                        "late: round " + round.number + "'s deadline " + round.deadline + " has passed", false));
            }
            if (!round.expectedDomains.contains(enrolment.domainId)) {
                return Uni.createFrom().item(new Verdict(product.id, product.version, "domain '" + enrolment.domainId
                        + "' is not expected in round " + round.number + ": the round expects "
                        + round.expectedDomains + ", fixed when it opened (the policy's sample, or the domains "
                        + "active and enrolled then)", false));
            }
            ModelDefinition.Policy policy = models.definition(model).policy();
            boolean resubmit = policy.allowsResubmit();
            Integer maxDomains = policy.maxDomains();
            String inflated = ExampleBound.refusal(request.numExamples(), enrolment, policy);
            if (inflated != null && request.status() == RoundUpdate.Status.ACCEPTED) {
                return Uni.createFrom().item(new Verdict(product.id, product.version, inflated, resubmit));
            }
            if (maxDomains == null || request.status() != RoundUpdate.Status.ACCEPTED) {
                return Uni.createFrom().item(new Verdict(product.id, product.version, null, resubmit));
            }
            return RoundUpdate.count("roundId = ?1 and status = ?2", round.id, RoundUpdate.Status.ACCEPTED)
                    .map(accepted -> new Verdict(product.id, product.version, accepted >= maxDomains
                            ? "round " + round.number + " already has the policy's maximum of " + maxDomains + " domains"
                            : null, resubmit));
        }));
    }

    /**
     * Policy {@code resubmit}: a new file (another ETag) of a domain whose update in this open round was REJECTED takes
     * the rejected one's place with its own verdict. An ACCEPTED row is never replaced, and the ETag condition keeps
     * this exactly-once: a repeated event of the replacement finds its own ETag stored and changes nothing.
     */
    private Uni<Boolean> replaceRejected(Round round, UpdateRegistration request, Verdict verdict) {
        return write(REPLACE_REJECTED, round, request, verdict);
    }

    private Uni<Boolean> insert(Round round, UpdateRegistration request, Verdict verdict) {
        return write(INSERT, round, request, verdict);
    }

    private Uni<Boolean> write(String statement, Round round, UpdateRegistration request, Verdict verdict) {
        boolean rejectedHere = request.status() == RoundUpdate.Status.ACCEPTED && verdict.rejection() != null;
        RoundUpdate.Status status = rejectedHere ? RoundUpdate.Status.REJECTED : request.status();
        String reason = rejectedHere ? verdict.rejection() : request.reason();
        String metricsJson = request.metrics() == null || request.metrics().isNull() ? "{}" : json.write(request.metrics());
        return Panache.getSession().chain(session -> session.createNativeQuery(statement)
                        .setParameter("round", round.id)
                        .setParameter("domain", request.domain())
                        .setParameter("product", verdict.dataProduct())
                        .setParameter("productVersion", verdict.dataProductVersion())
                        .setParameter("key", request.objectKey())
                        .setParameter("etag", request.etag())
                        .setParameter("sha256", request.sha256())
                        .setParameter("examples", request.numExamples())
                        .setParameter("baseRound", request.baseRound())
                        .setParameter("metrics", metricsJson)
                        .setParameter("status", status.name())
                        .setParameter("reason", reason)
                        .executeUpdate())
                .map(rows -> rows == 1);
    }

    public Uni<List<UpdateView>> list(Long roundId) {
        return Panache.withSession(() -> Round.<Round>findById(roundId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .chain(round -> RoundUpdate.<RoundUpdate>list("roundId = ?1 order by domainId", roundId)))
                .map(updates -> updates.stream().map(u -> views.of(u, false)).toList());
    }
}
