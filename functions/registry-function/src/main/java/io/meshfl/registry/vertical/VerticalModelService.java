package io.meshfl.registry.vertical;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.meshfl.registry.dataproduct.DataProduct;
import io.meshfl.registry.dataproduct.DataProductService;
import io.meshfl.registry.dataproduct.ParsedDescriptor;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.input.ResourceIds;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.ModelIds;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Caller;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Registration of vertical models: every party's domain and data product exist, the product is approved for the
 * model's purpose and declares an entity key, the parties' column sets do not overlap, and the label source's product
 * holds a label column. All checked before anything is stored; a refusal stores nothing.
 */
@ApplicationScoped
public class VerticalModelService {

    private final JsonColumns json;
    private final ModelIds ids;
    private final DataProductService products;

    public VerticalModelService(JsonColumns json, ModelIds ids, DataProductService products) {
        this.json = json;
        this.ids = ids;
        this.products = products;
    }

    public Uni<VerticalModelDefinition> register(VerticalModelDefinition submitted) {
        VerticalModelDefinition model = VerticalModelValidator.validated(submitted);
        List<String> domainIds = model.parties().stream().map(VerticalModelDefinition.Party::domain).toList();
        List<String> productIds = model.parties().stream().map(VerticalModelDefinition.Party::dataProduct).toList();
        return Panache.withTransaction(() -> ids.claim(model.id())
                .chain(() -> Domain.<Domain>list("id in ?1", domainIds))
                // FOR SHARE: a new version of a product registered meanwhile waits, then keeps what this model reads.
                .chain(domains -> DataProduct.<DataProduct>find("id in ?1", productIds)
                        .withLock(LockModeType.PESSIMISTIC_READ).list()
                        .map(found -> checked(model, byId(domains, d -> d.id), byId(found, p -> p.id))))
                .chain(checked -> store(checked).replaceWith(checked)));
    }

    /** Every vertical model; a domain token sees only the models it is a party of (review 5, finding 6). */
    public Uni<List<VerticalModelDefinition>> list(Caller caller) {
        return Panache.withSession(() -> VerticalModel.<VerticalModel>list("order by id")
                .chain(models -> VerticalParty.<VerticalParty>list("order by modelId, id").map(parties -> {
                    Map<String, List<VerticalParty>> byModel = parties.stream()
                            .collect(Collectors.groupingBy(p -> p.modelId));
                    return models.stream()
                            .filter(m -> isReadableBy(caller, byModel.getOrDefault(m.id, List.of())))
                            .map(m -> definition(m, byModel.getOrDefault(m.id, List.of()), caller))
                            .toList();
                })));
    }

    /** The model; a domain that is not one of its parties gets 403, as for its rounds. */
    public Uni<VerticalModelDefinition> get(Caller caller, String id) {
        return Panache.withSession(() -> find(id).chain(model -> parties(id).map(parties -> {
            if (!isReadableBy(caller, parties)) {
                throw notAParty(caller, id);
            }
            return definition(model, parties, caller);
        })));
    }

    /**
     * Changes the model's PSI session or its governance-side head's key. A round records both when it opens, so the
     * change applies from the next round on; the round in progress keeps verifying with the key it opened with.
     */
    public Uni<VerticalModelDefinition> change(Caller caller, String id, VerticalModelChange change) {
        if (change == null || (change.psiSession() == null && change.headPublicKey() == null)) {
            throw Problem.invalid("body", "names psiSession, headPublicKey or both");
        }
        FieldErrors errors = new FieldErrors();
        if (change.psiSession() != null) {
            ResourceIds.check("psiSession", change.psiSession(), errors);
        }
        errors.throwIfAny();
        return Panache.withTransaction(() -> VerticalModel.<VerticalModel>findById(id, LockModeType.PESSIMISTIC_WRITE)
                .onItem().ifNull().failWith(() -> Problem.notFound("No vertical model '" + id + "'"))
                .chain(model -> {
                    FieldErrors keyErrors = new FieldErrors();
                    if (change.headPublicKey() != null) {
                        VerticalModelValidator.headKey(model.labelOwner, change.headPublicKey(), keyErrors);
                    }
                    keyErrors.throwIfAny();
                    if (change.psiSession() != null) {
                        model.psiSession = change.psiSession();
                    }
                    if (change.headPublicKey() != null) {
                        model.headPublicKey = change.headPublicKey();
                    }
                    return parties(id).map(parties -> definition(model, parties, caller));
                }));
    }

    /**
     * Governance and functions read every vertical model; a domain only those it is a party of: a model's parties,
     * label source and network are the parties' business, not every enrolled domain's.
     */
    static boolean isReadableBy(Caller caller, List<VerticalParty> parties) {
        return !caller.isDomainOnly() || parties.stream().anyMatch(p -> p.domainId.equals(caller.domain()));
    }

    static RuntimeException notAParty(Caller caller, String modelId) {
        return Problem.forbidden("Domain '" + caller.domain() + "' is not a party of vertical model '" + modelId + "'");
    }

    /** The stored model, or a 404 naming it. */
    static Uni<VerticalModel> find(String id) {
        return VerticalModel.<VerticalModel>findById(id)
                .onItem().ifNull().failWith(() -> Problem.notFound("No vertical model '" + id + "'"));
    }

    /** The model's parties in registration order. */
    static Uni<List<VerticalParty>> parties(String modelId) {
        return VerticalParty.list("modelId = ?1 order by id", modelId);
    }

    /**
     * The model as {@code caller} may see it: a domain token sees the other parties' domains only, not their data
     * products or columns (what a domain holds is its own business; the head needs only the embeddings' widths).
     */
    VerticalModelDefinition definition(VerticalModel model, List<VerticalParty> parties, Caller caller) {
        try {
            var mapper = json.mapper();
            List<VerticalModelDefinition.Party> shown = parties.stream()
                    .map(p -> caller.maySee(p.domainId)
                            ? new VerticalModelDefinition.Party(p.domainId, p.dataProductId, p.dataProductVersion,
                                    p.columns)
                            : new VerticalModelDefinition.Party(p.domainId, null, null, null))
                    .toList();
            return new VerticalModelDefinition(model.id, model.purpose, shown, model.labelOwner, model.labelSource,
                    mapper.readValue(model.architecture, VerticalModelDefinition.Architecture.class),
                    mapper.readValue(model.policy, VerticalModelDefinition.Policy.class),
                    mapper.readValue(model.training, VerticalModelDefinition.Training.class),
                    model.psiSession, model.headPublicKey);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored configuration of vertical model " + model.id + " is not readable",
                    e);
        }
    }

    private VerticalModelDefinition checked(VerticalModelDefinition model, Map<String, Domain> domains,
            Map<String, DataProduct> found) {
        FieldErrors errors = new FieldErrors();
        List<VerticalModelDefinition.Party> filled = new ArrayList<>();
        Map<String, String> contributedBy = new HashMap<>();
        for (int i = 0; i < model.parties().size(); i++) {
            VerticalModelDefinition.Party party = model.parties().get(i);
            String at = "parties[" + i + "]";
            Domain domain = domains.get(party.domain());
            if (domain == null) {
                errors.add(at + ".domain", "no enrolled domain '" + party.domain() + "'");
                continue;
            }
            if (domain.status != Domain.Status.ACTIVE) {
                errors.add(at + ".domain", "domain '" + domain.id + "' is " + domain.status);
            }
            DataProduct product = found.get(party.dataProduct());
            if (product == null) {
                errors.add(at + ".dataProduct", "no data product '" + party.dataProduct() + "'");
                continue;
            }
            if (!product.domainId.equals(domain.id)) {
                errors.add(at + ".dataProduct", "data product '" + product.id + "' belongs to domain '"
                        + product.domainId + "', not '" + domain.id + "'");
                continue;
            }
            if (!json.strings(product.purposes).contains(model.purpose())) {
                errors.add(at + ".dataProduct", "data product '" + product.id + "' is not approved for purpose '"
                        + model.purpose() + "' (eligible: " + json.strings(product.purposes) + ")");
            }
            if (product.entityKey == null) {
                errors.add(at + ".dataProduct", "data product '" + product.id + "' declares no entity key column "
                        + "(descriptor customProperties: entityKey): its rows cannot be aligned with the other "
                        + "parties'");
                continue;
            }
            if (party.domain().equals(model.labelSource()) && product.labelColumn == null) {
                errors.add("labelSource", "data product '" + product.id + "' of domain '" + domain.id
                        + "' marks no label column: the label source's product must hold the labels");
            }
            List<String> columns = featureColumns(party, product, at + ".columns", errors);
            for (String column : columns) {
                String other = contributedBy.putIfAbsent(column, party.domain());
                if (other != null) {
                    errors.add(at + ".columns", "column '" + column + "' is also contributed by domain '" + other
                            + "': the parties' column sets must not overlap");
                }
            }
            filled.add(new VerticalModelDefinition.Party(party.domain(), product.id, product.version, columns));
        }
        errors.throwIfAny();
        return new VerticalModelDefinition(model.id(), model.purpose(), filled, model.labelOwner(),
                model.labelSource(), model.architecture(), model.policy(), model.training(), model.psiSession(),
                model.headPublicKey());
    }

    /** The party's chosen columns checked against its product's schema, or by default every feature column. */
    private List<String> featureColumns(VerticalModelDefinition.Party party, DataProduct product, String at,
            FieldErrors errors) {
        List<String> schema = products.columns(product).stream().map(ParsedDescriptor.Column::name).toList();
        if (party.columns() == null) {
            List<String> features = schema.stream()
                    .filter(c -> !c.equals(product.entityKey) && !c.equals(product.labelColumn))
                    .toList();
            if (features.isEmpty()) {
                errors.add(at, "data product '" + product.id + "' has no column besides its entity key and label");
            }
            return features;
        }
        for (int j = 0; j < party.columns().size(); j++) {
            String column = party.columns().get(j);
            if (!schema.contains(column)) {
                errors.add(at + "[" + j + "]", "'" + column + "' is not a column of data product '" + product.id
                        + "' (columns: " + schema + ")");
            } else if (column.equals(product.entityKey)) {
                errors.add(at + "[" + j + "]", "'" + column + "' is the product's entity key: it aligns rows and "
                        + "never reaches a model");
            } else if (column.equals(product.labelColumn)) {
                errors.add(at + "[" + j + "]", "'" + column + "' is the product's label column, not a feature");
            }
        }
        return party.columns();
    }

    private Uni<Void> store(VerticalModelDefinition model) {
        VerticalModel entity = new VerticalModel();
        entity.id = model.id();
        entity.purpose = model.purpose();
        entity.labelOwner = model.labelOwner();
        entity.labelSource = model.labelSource();
        entity.architecture = json.write(model.architecture());
        entity.policy = json.write(model.policy());
        entity.training = json.write(model.training());
        entity.psiSession = model.psiSession();
        entity.headPublicKey = model.headPublicKey();
        List<VerticalParty> parties = model.parties().stream().map(p -> {
            VerticalParty party = new VerticalParty();
            party.modelId = model.id();
            party.domainId = p.domain();
            party.dataProductId = p.dataProduct();
            party.dataProductVersion = p.dataProductVersion();
            party.columns = List.copyOf(p.columns());
            return party;
        }).toList();
        // The model row first: the parties reference it.
        return entity.persist().chain(saved -> Panache.getSession())
                .chain(session -> session.flush())
                .chain(() -> VerticalParty.persist(parties));
    }

    private static <T> Map<String, T> byId(List<T> items, Function<T, String> id) {
        return items.stream().collect(Collectors.toMap(id, Function.identity()));
    }
}
