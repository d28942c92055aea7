package io.meshfl.registry.dataproduct;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.meshfl.registry.domain.Domain;
import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.problem.FieldErrors;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.vertical.VerticalModel;
import io.meshfl.registry.vertical.VerticalParty;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.List;

/** Registration of data products from their descriptors, and reads that never leak another domain's locations. */
@ApplicationScoped
public class DataProductService {

    private static final String COLUMNS = "outputPorts[0].contract.schema[0].properties";

    /** What {@link #register} did, so the resource can answer 201 or 200. */
    public record Registration(boolean created, DataProductView product) {
    }

    private final DescriptorParser parser;
    private final JsonColumns json;

    public DataProductService(DescriptorParser parser, JsonColumns json) {
        this.parser = parser;
        this.json = json;
    }

    /**
     * Registers a descriptor. The same id again from the same domain replaces the stored descriptor (a new
     * version of the product); updates already registered keep the version they trained on.
     */
    public Uni<Registration> register(Caller caller, String descriptor, String mediaType) {
        ParsedDescriptor parsed = parser.parse(descriptor);
        caller.requireActingFor(parsed.domain());
        return Panache.withTransaction(() -> Domain.<Domain>findById(parsed.domain()).chain(domain -> {
            if (domain == null) {
                throw Problem.invalid("domain", "no enrolled domain '" + parsed.domain() + "'");
            }
            // Locked: a vertical model registering this product as a party (it reads it FOR SHARE) waits for this
            // version, or this version waits for that party and then must keep what it reads.
            return DataProduct.<DataProduct>findById(parsed.id(), LockModeType.PESSIMISTIC_WRITE);
        }).chain(existing -> {
            if (existing != null && !existing.domainId.equals(parsed.domain())) {
                throw Problem.conflict("Data product '" + parsed.id() + "' belongs to another domain");
            }
            if (existing == null) {
                return Uni.createFrom().item((DataProduct) null);
            }
            return VerticalParty.<VerticalParty>list("dataProductId = ?1", parsed.id())
                    .chain(parties -> parties.isEmpty() ? Uni.createFrom().item(existing)
                            : VerticalModel.<VerticalModel>list("id in ?1",
                                    parties.stream().map(p -> p.modelId).toList())
                            .map(models -> {
                                keepsWhatVerticalModelsRead(parsed, parties, models);
                                return existing;
                            }));
        }).chain(existing -> {
            DataProduct product = existing != null ? existing : new DataProduct();
            product.id = parsed.id();
            product.domainId = parsed.domain();
            product.name = parsed.name();
            product.version = parsed.version();
            product.status = parsed.status();
            product.format = parsed.format();
            product.location = parsed.location();
            product.columns = json.write(parsed.columns());
            product.labelColumn = parsed.labelColumn();
            product.entityKey = parsed.entityKey();
            product.purposes = json.write(parsed.purposes());
            product.minRecords = parsed.minRecords();
            product.privacyBudget = parsed.privacyBudget();
            product.records = parsed.records();
            product.descriptor = descriptor;
            product.descriptorMediaType = mediaType;
            product.updatedAt = OffsetDateTime.now();
            return product.<DataProduct>persist().map(saved -> new Registration(existing == null, view(saved)));
        }));
    }

    /**
     * A new version of a product that is a vertical model's party must still give that model what it reads: an entity
     * key, the party's feature columns, and the label column if the party is the model's label source. Otherwise the
     * model's next round would fail in every party's function instead of here.
     */
    private static void keepsWhatVerticalModelsRead(ParsedDescriptor parsed, List<VerticalParty> parties,
            List<VerticalModel> models) {
        FieldErrors errors = new FieldErrors();
        List<String> columns = parsed.columns().stream().map(ParsedDescriptor.Column::name).toList();
        for (VerticalParty party : parties) {
            String model = "vertical model '" + party.modelId + "'";
            if (parsed.entityKey() == null) {
                errors.add("customProperties", "must keep declaring an entityKey: data product '" + parsed.id()
                        + "' is a party of " + model + ", which aligns its rows by it");
            }
            for (String column : party.columns) {
                if (!columns.contains(column) || column.equals(parsed.entityKey())
                        || column.equals(parsed.labelColumn())) {
                    errors.add(COLUMNS, "must keep feature column '" + column + "': " + model + " reads it");
                }
            }
            boolean labelSource = models.stream()
                    .anyMatch(m -> m.id.equals(party.modelId) && m.labelSource.equals(party.domainId));
            if (labelSource && parsed.labelColumn() == null) {
                errors.add(COLUMNS, "must keep a label column: " + model + " takes its labels from this product");
            }
        }
        errors.throwIfAny();
    }

    public Uni<DataProductView> get(Caller caller, String id) {
        return Panache.withSession(() -> DataProduct.<DataProduct>findById(id))
                .onItem().ifNull().failWith(() -> Problem.notFound("No data product '" + id + "'"))
                .map(product -> {
                    caller.requireActingFor(product.domainId);
                    return view(product);
                });
    }

    /** All products the caller may see: a domain token sees its own only. */
    public Uni<List<DataProductView>> list(Caller caller) {
        return Panache.withSession(() -> DataProduct.<DataProduct>list("order by id"))
                .map(products -> products.stream()
                        .filter(p -> caller.maySee(p.domainId))
                        .map(p -> view(p).withoutDescriptor())
                        .toList());
    }

    public DataProductView view(DataProduct product) {
        return new DataProductView(product.id, product.domainId, product.name, product.version, product.status,
                product.format, product.location, columns(product), product.labelColumn, json.strings(product.purposes),
                product.minRecords, product.privacyBudget, product.records, product.entityKey, product.descriptor);
    }

    public List<ParsedDescriptor.Column> columns(DataProduct product) {
        try {
            return json.mapper().readValue(product.columns, new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored columns of data product " + product.id + " are not JSON", e);
        }
    }
}
