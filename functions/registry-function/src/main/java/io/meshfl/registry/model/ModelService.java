package io.meshfl.registry.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meshfl.registry.api.EnrolmentView;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Registration of models (FL tasks) and of the enrolments that bind a domain's data product to one. */
@ApplicationScoped
public class ModelService {

    /** What {@link #enrol} did, so the resource can answer 201 or 200. */
    public record EnrolmentResult(boolean created, EnrolmentView enrolment) {
    }

    private final JsonColumns json;
    private final ModelIds ids;

    public ModelService(JsonColumns json, ModelIds ids) {
        this.json = json;
        this.ids = ids;
    }

    public Uni<ModelDefinition> register(ModelDefinition submitted) {
        ModelDefinition model = ModelValidator.validated(submitted);
        return Panache.withTransaction(() -> ids.claim(model.id()).chain(() -> {
            Model entity = new Model();
            entity.id = model.id();
            entity.purpose = model.purpose();
            entity.architecture = json.write(model.architecture());
            entity.strategy = json.write(model.strategy());
            entity.policy = json.write(model.policy());
            entity.training = json.write(model.training());
            return entity.<Model>persist();
        })).map(this::definition);
    }

    public Uni<List<ModelDefinition>> list() {
        return Panache.withSession(() -> Model.<Model>list("order by id"))
                .map(all -> all.stream().map(this::definition).toList());
    }

    public Uni<ModelDefinition> get(String id) {
        return Panache.withSession(() -> Model.<Model>findById(id))
                .onItem().ifNull().failWith(() -> Problem.notFound("No model '" + id + "'"))
                .map(this::definition);
    }

    /**
     * Approves a domain to train the model with one of its data products, only if the product's eligible
     * purposes include the model's purpose. Enrolling the same pair again changes nothing.
     */
    public Uni<EnrolmentResult> enrol(String modelId, EnrolmentRequest request) {
        if (request == null) {
            throw Problem.invalid("body", "is required");
        }
        FieldErrors errors = new FieldErrors();
        ResourceIds.check("domain", errors.require("domain", request.domain()), errors);
        ResourceIds.check("dataProduct", errors.require("dataProduct", request.dataProduct()), errors);
        errors.throwIfAny();
        return Panache.withTransaction(() -> Model.<Model>findById(modelId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No model '" + modelId + "'"))
                .chain(model -> Domain.<Domain>findById(request.domain()).chain(domain -> {
                    if (domain == null) {
                        throw Problem.invalid("domain", "no enrolled domain '" + request.domain() + "'");
                    }
                    return DataProduct.<DataProduct>findById(request.dataProduct());
                }).chain(product -> {
                    if (product == null) {
                        throw Problem.invalid("dataProduct", "no data product '" + request.dataProduct() + "'");
                    }
                    if (!product.domainId.equals(request.domain())) {
                        throw Problem.invalid("dataProduct", "data product '" + product.id
                                + "' belongs to domain '" + product.domainId + "', not '" + request.domain() + "'");
                    }
                    if (product.labelColumn == null) {
                        throw Problem.invalid("dataProduct", "data product '" + product.id + "' marks no label column;"
                                + " a horizontal model trains on labelled rows (a product without labels can be a"
                                + " party of a vertical model)");
                    }
                    if (!json.strings(product.purposes).contains(model.purpose)) {
                        throw Problem.invalid("dataProduct", "data product '" + product.id
                                + "' is not approved for purpose '" + model.purpose + "' (eligible: "
                                + json.strings(product.purposes) + ")");
                    }
                    return Enrolment.<Enrolment>find("modelId = ?1 and domainId = ?2", modelId, request.domain())
                            .<Enrolment>firstResult()
                            .chain(existing -> approve(modelId, request, product, existing));
                })));
    }

    private static Uni<EnrolmentResult> approve(String modelId, EnrolmentRequest request, DataProduct product,
                                                Enrolment existing) {
        if (existing != null && existing.dataProductId.equals(request.dataProduct())) {
            return Uni.createFrom().item(new EnrolmentResult(false, view(existing)));
        }
        if (existing != null) {
            throw Problem.conflict("Domain '" + request.domain() + "' is already enrolled in model '"
                    + modelId + "' with data product '" + existing.dataProductId + "'");
        }
        Enrolment enrolment = new Enrolment();
        enrolment.modelId = modelId;
        enrolment.domainId = request.domain();
        enrolment.dataProductId = request.dataProduct();
        enrolment.records = product.records;
        return enrolment.<Enrolment>persist().map(saved -> new EnrolmentResult(true, view(saved)));
    }

    public Uni<List<EnrolmentView>> enrolments(Caller caller, String modelId) {
        return Panache.withSession(() -> Enrolment.<Enrolment>list("modelId = ?1 order by domainId", modelId))
                .map(all -> all.stream().filter(e -> caller.maySee(e.domainId)).map(ModelService::view).toList());
    }

    public ModelDefinition definition(Model model) {
        try {
            var mapper = json.mapper();
            return new ModelDefinition(model.id, model.purpose, json.tree(model.architecture),
                    mapper.readValue(model.strategy, ModelDefinition.Strategy.class),
                    mapper.readValue(model.policy, ModelDefinition.Policy.class),
                    mapper.readValue(model.training, ModelDefinition.Training.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored configuration of model " + model.id + " is not readable", e);
        }
    }

    private static EnrolmentView view(Enrolment enrolment) {
        return new EnrolmentView(enrolment.modelId, enrolment.domainId, enrolment.dataProductId, enrolment.records);
    }
}
