package io.meshfl.registry.round;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.dataproduct.DataProductService;
import io.meshfl.registry.events.RoundEvents;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.model.ExampleBound;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.version.ModelVersion;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/** Opening a model's first round (or a retry after a failed one) and reading rounds. */
@ApplicationScoped
public class RoundService {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    private final RoundOpener opener;
    private final ModelService models;
    private final DataProductService products;
    private final RoundEvents events;
    private final RoundMetrics metrics;

    public RoundService(RoundOpener opener, ModelService models, DataProductService products, RoundEvents events,
                        RoundMetrics metrics) {
        this.events = events;
        this.opener = opener;
        this.models = models;
        this.products = products;
        this.metrics = metrics;
    }

    /**
     * Opens round 1 from {@code global/1} (which the governance uploaded), or, after round r FAILED, round r+1
     * from the newest global model version. Refused while a round is OPEN, AGGREGATING, or already followed.
     */
    public Uni<RoundView> open(String modelId, String initialChecksum) {
        if (initialChecksum != null && !SHA256_HEX.matcher(initialChecksum).matches()) {
            return Uni.createFrom().failure(Problem.invalid("globalModelChecksum", "must be 64 lower-case hex digits"));
        }
        return Panache.withTransaction(() -> Model.<Model>findById(modelId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No model '" + modelId + "'"))
                .chain(model -> latest(modelId).chain(latest -> {
                    if (latest == null) {
                        ModelVersion initial = new ModelVersion();
                        initial.modelId = modelId;
                        initial.number = 1;
                        initial.objectKey = ObjectKeys.globalModel(modelId, 1);
                        initial.aggregatedFrom = "[]";
                        initial.checksum = initialChecksum;
                        return initial.persist().chain(v -> opener.open(model, 1, initial.objectKey));
                    }
                    if (latest.state != Round.State.FAILED) {
                        throw Problem.conflict("Model '" + modelId + "' already has round " + latest.number + " ("
                                + latest.state + "); rounds follow each other on completion", "round", RoundView.of(latest));
                    }
                    return ModelVersion.<ModelVersion>find("modelId = ?1 order by number desc", modelId).<ModelVersion>firstResult()
                            .chain(base -> opener.open(model, latest.number + 1, base.objectKey));
                }))
                .map(RoundView::of)
                // In the opening's transaction: the outbox holds the event if and only if the round exists.
                .call(round -> events.record(RoundEvents.ROUND_OPENED, round.model(), round.number(), round)))
                .call(metrics::refreshOpenRounds);
    }

    public Uni<RoundView> get(Long roundId) {
        return Panache.withSession(() -> Round.<Round>findById(roundId))
                .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                .map(RoundView::of);
    }

    /**
     * A round as {@code caller} may read it: governance and functions any round; a domain token the rounds of the
     * models it is enrolled in (its state, deadline and expected domains: what it needs to know where it stands).
     */
    public Uni<RoundView> get(Caller caller, Long roundId) {
        return Panache.withSession(() -> Round.<Round>findById(roundId)
                        .onItem().ifNull().failWith(() -> Problem.notFound("No round " + roundId))
                        .call(round -> enrolmentOf(caller, round.modelId)))
                .map(RoundView::of);
    }

    /**
     * The model's newest round with what a training function needs. A domain token must be enrolled in the
     * model and gets its own enrolment's data product; nobody else's.
     */
    public Uni<CurrentRoundView> current(Caller caller, String modelId) {
        return withSettings(caller, modelId, () -> latest(modelId), "Model '" + modelId + "' has no round yet");
    }

    /**
     * Round {@code number} of the model with the same settings as {@link #current}: an asynchronous model's update
     * trained from an earlier round's global model is checked and folded against that round's model.
     */
    public Uni<CurrentRoundView> numbered(Caller caller, String modelId, int number) {
        return withSettings(caller, modelId,
                () -> Round.<Round>find("modelId = ?1 and number = ?2", modelId, number).<Round>firstResult(),
                "Model '" + modelId + "' has no round " + number);
    }

    private Uni<CurrentRoundView> withSettings(Caller caller, String modelId, Supplier<Uni<Round>> which,
                                               String missing) {
        return Panache.withSession(() -> Model.<Model>findById(modelId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No model '" + modelId + "'"))
                .chain(model -> enrolmentOf(caller, modelId).chain(details -> exampleBounds(caller, modelId, model)
                        .chain(bounds -> which.get()
                                .onItem().ifNull().failWith(() -> Problem.notFound(missing))
                                .chain(round -> checksumOf(round)
                                        .map(checksum -> view(models.definition(model), round, checksum, details,
                                                bounds)))))));
    }

    private Uni<CurrentRoundView.EnrolmentDetails> enrolmentOf(Caller caller, String modelId) {
        if (!caller.isDomainOnly()) {
            return Uni.createFrom().nullItem();
        }
        return Enrolment.<Enrolment>find("modelId = ?1 and domainId = ?2", modelId, caller.domain()).<Enrolment>firstResult()
                .onItem().ifNull().failWith(() -> Problem.forbidden("Domain '" + caller.domain()
                        + "' is not enrolled in model '" + modelId + "'"))
                .chain(enrolment -> DataProduct.<DataProduct>findById(enrolment.dataProductId))
                .map(product -> new CurrentRoundView.EnrolmentDetails(product.id, product.version, product.location,
                        product.format, products.columns(product), product.labelColumn));
    }

    /** The checksum recorded for the round's global model (null if none was: an initial model opened without). */
    private static Uni<String> checksumOf(Round round) {
        return ModelVersion.<ModelVersion>find("modelId = ?1 and objectKey = ?2", round.modelId, round.globalModelKey)
                .<ModelVersion>firstResult()
                .map(version -> version == null ? null : version.checksum);
    }

    private Uni<Map<String, Long>> exampleBounds(Caller caller, String modelId, Model model) {
        ModelDefinition.Policy policy = models.definition(model).policy();
        return Enrolment.<Enrolment>list("modelId = ?1 order by domainId", modelId).map(enrolments -> {
            Map<String, Long> bounds = new TreeMap<>();
            enrolments.stream().filter(e -> caller.maySee(e.domainId)).forEach(e -> {
                Long bound = ExampleBound.of(e, policy);
                if (bound != null) {
                    bounds.put(e.domainId, bound);
                }
            });
            return bounds;
        });
    }

    static Uni<Round> latest(String modelId) {
        return Round.<Round>find("modelId = ?1 order by number desc", modelId).<Round>firstResult();
    }

    private static CurrentRoundView view(ModelDefinition model, Round round, String checksum,
                                         CurrentRoundView.EnrolmentDetails details, Map<String, Long> maxExamples) {
        return new CurrentRoundView(round.id, round.modelId, round.number, round.state, round.globalModelKey, checksum,
                round.openedAt, round.deadline, model.architecture(), model.strategy(), model.policy(), model.training(),
                details, maxExamples, round.expectedDomains);
    }
}
