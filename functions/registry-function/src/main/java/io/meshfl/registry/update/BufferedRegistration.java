package io.meshfl.registry.update;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.model.ExampleBound;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.round.RoundView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Registers an update of an asynchronous (FedBuff) model into its open buffer, under the buffer row's lock that
 * {@link UpdateRegistrar} took. An update trained from the global model of round b (its base round, in its object
 * key) is {@code s = version(buffer) − version(b)} versions stale; it is stored REJECTED "stale" beyond the policy's
 * {@code maxStaleness}, and counts towards the buffer's {@code bufferSize} otherwise.
 *
 * <p>Exactly once across buffers: an update is identified by its object key, and a key already registered in any
 * buffer of the model is answered as that registration (a duplicate), so an event redelivered after its buffer closed
 * is not counted again in the next one. What cannot be decided now is answered 409 with nothing stored, so that the
 * event is delivered again and lands in a later buffer: a buffer that is AGGREGATING or full, or a domain that already
 * has an update in this buffer (one per domain per buffer, as the table's (round, domain) key keeps it).
 */
@ApplicationScoped
public class BufferedRegistration {

    private final ModelService models;
    private final UpdateViews views;
    private final JsonColumns json;

    public BufferedRegistration(ModelService models, UpdateViews views, JsonColumns json) {
        this.models = models;
        this.views = views;
        this.json = json;
    }

    public Uni<UpdateRegistrar.Result> register(Round buffer, Model model, UpdateRegistration request) {
        ModelDefinition.Policy policy = models.definition(model).policy();
        FieldErrors errors = new FieldErrors();
        if (request.baseRound() > buffer.number) {
            errors.add("baseRound", "buffer " + buffer.id + " is number " + buffer.number + "; an update cannot be "
                    + "trained from a later round's model (" + request.baseRound() + ")");
        }
        String expectedKey = ObjectKeys.update(buffer.modelId, request.baseRound(), request.domain());
        if (!expectedKey.equals(request.objectKey())) {
            errors.add("objectKey", "must be " + expectedKey + " for base round " + request.baseRound() + " and this "
                    + "domain");
        }
        errors.throwIfAny();
        return RoundUpdate.<RoundUpdate>find("objectKey = ?1", request.objectKey()).<RoundUpdate>firstResult()
                .chain(registered -> registered != null
                        ? duplicate(registered, buffer)
                        : Domain.<Domain>findById(request.domain())
                                .onItem().ifNull().failWith(() -> Problem.invalid("domain", "no enrolled domain '"
                                        + request.domain() + "'"))
                                .chain(domain -> admit(buffer, policy, domain, request)));
    }

    private Uni<UpdateRegistrar.Result> duplicate(RoundUpdate registered, Round buffer) {
        return Uni.createFrom().item(new UpdateRegistrar.Result(false, views.of(registered, true), buffer.modelId,
                buffer.number));
    }

    private Uni<UpdateRegistrar.Result> admit(Round buffer, ModelDefinition.Policy policy, Domain domain,
                                              UpdateRegistration request) {
        if (buffer.state != Round.State.OPEN) {
            throw retryLater(buffer, "buffer " + buffer.number + " is " + buffer.state + "; the update belongs in the "
                    + "next buffer, which opens when this one's version is recorded");
        }
        return RoundUpdate.<RoundUpdate>find("roundId = ?1 and domainId = ?2", buffer.id, domain.id).<RoundUpdate>firstResult()
                .chain(mine -> {
                    if (mine != null) {
                        throw retryLater(buffer, "domain '" + domain.id + "' already has an update in buffer "
                                + buffer.number + " (" + mine.objectKey + "); one per domain per buffer, this one "
                                + "belongs in a later buffer");
                    }
                    return Enrolment.<Enrolment>find("modelId = ?1 and domainId = ?2", buffer.modelId, domain.id)
                            .<Enrolment>firstResult();
                })
                .chain(enrolment -> {
                    if (enrolment == null) {
                        return insert(buffer, request, null, null, "domain '" + domain.id + "' is not enrolled in "
                                + "model '" + buffer.modelId + "'");
                    }
                    return DataProduct.<DataProduct>findById(enrolment.dataProductId)
                            .chain(product -> judge(buffer, policy, domain, enrolment, request)
                                    .chain(rejection -> insert(buffer, request, product.id, product.version, rejection)));
                });
    }

    /** The registry's own reason to reject an update the function accepted, or null. */
    private Uni<String> judge(Round buffer, ModelDefinition.Policy policy, Domain domain, Enrolment enrolment,
                              UpdateRegistration request) {
        if (domain.status == Domain.Status.SUSPENDED) {
            return Uni.createFrom().item("domain '" + domain.id + "' is suspended");
        }
        if (request.status() != RoundUpdate.Status.ACCEPTED) {
            return Uni.createFrom().nullItem();
        }
        return Round.<Round>find("modelId = ?1 and number = ?2", buffer.modelId, request.baseRound()).<Round>firstResult()
                .onItem().ifNull().failWith(() -> Problem.invalid("baseRound", "model '" + buffer.modelId
                        + "' has no round " + request.baseRound()))
                .chain(base -> {
                    int staleness = version(buffer) - version(base);
                    Integer bound = policy.maxStaleness();
                    if (bound != null && staleness > bound) {
                        return Uni.createFrom().item("stale: trained from version " + version(base) + " (round "
                                + base.number + "), " + staleness + " versions behind buffer " + buffer.number
                                + "'s version " + version(buffer) + "; the policy's maxStaleness is " + bound);
                    }
                    String inflated = ExampleBound.refusal(request.numExamples(), enrolment, policy);
                    if (inflated != null) {
                        return Uni.createFrom().item(inflated);
                    }
                    return RoundUpdate.count("roundId = ?1 and status = ?2", buffer.id, RoundUpdate.Status.ACCEPTED)
                            .map(accepted -> {
                                if (accepted >= policy.bufferSize()) {
                                    throw retryLater(buffer, "buffer " + buffer.number + " already has its "
                                            + policy.bufferSize() + " updates (bufferSize); it closes next");
                                }
                                return null;
                            });
                });
    }

    /** The global model version a round trains from (its number unless an earlier round failed). */
    static int version(Round round) {
        return ObjectKeys.globalModelVersion(round.modelId, round.globalModelKey).orElse(round.number);
    }

    private static Problem retryLater(Round buffer, String why) {
        return Problem.conflict("Not registered, deliver it again: " + why, "round", RoundView.of(buffer));
    }

    private Uni<UpdateRegistrar.Result> insert(Round buffer, UpdateRegistration request, String product,
                                               String productVersion, String rejection) {
        boolean rejectedHere = request.status() == RoundUpdate.Status.ACCEPTED && rejection != null;
        RoundUpdate.Status status = rejectedHere ? RoundUpdate.Status.REJECTED : request.status();
        String reason = rejectedHere ? rejection : request.reason();
        String metricsJson = request.metrics() == null || request.metrics().isNull() ? "{}" : json.write(request.metrics());
        return Panache.getSession().chain(session -> session.createNativeQuery(UpdateRegistrar.INSERT)
                        .setParameter("round", buffer.id)
                        .setParameter("domain", request.domain())
                        .setParameter("product", product)
                        .setParameter("productVersion", productVersion)
                        .setParameter("key", request.objectKey())
                        .setParameter("etag", request.etag())
                        .setParameter("sha256", request.sha256())
                        .setParameter("examples", request.numExamples())
                        .setParameter("baseRound", request.baseRound())
                        .setParameter("metrics", metricsJson)
                        .setParameter("status", status.name())
                        .setParameter("reason", reason)
                        .executeUpdate())
                .chain(rows -> RoundUpdate.<RoundUpdate>find("roundId = ?1 and domainId = ?2", buffer.id,
                                request.domain()).<RoundUpdate>firstResult()
                        .map(stored -> new UpdateRegistrar.Result(rows == 1, views.of(stored, rows != 1),
                                buffer.modelId, buffer.number)));
    }
}
