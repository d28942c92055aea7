package io.meshfl.registry.dashboard;

import io.meshfl.registry.dataproduct.DataProductService;
import io.meshfl.registry.dataproduct.DataProductView;
import io.meshfl.registry.domain.DomainService;
import io.meshfl.registry.domain.DomainView;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.vertical.VerticalModelService;
import io.meshfl.registry.vertical.VerticalRound;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads (never writes) what the overview page shows, through the registry's services and entities. */
@ApplicationScoped
public class OverviewReader {

    private final DomainService domains;
    private final DataProductService products;
    private final ModelService models;
    private final VerticalModelService verticalModels;

    public OverviewReader(DomainService domains, DataProductService products, ModelService models,
                          VerticalModelService verticalModels) {
        this.domains = domains;
        this.products = products;
        this.models = models;
        this.verticalModels = verticalModels;
    }

    public Uni<FederationOverview> read(Caller caller) {
        return Panache.withSession(() -> domains.list(caller).chain(allDomains -> products.list(caller)
                .chain(allProducts -> models.list().chain(allModels -> Enrolment.<Enrolment>listAll()
                        .chain(enrolments -> Round.<Round>listAll().chain(rounds -> verticalRows(caller)
                                .map(vertical -> overview(allDomains, allProducts, allModels, enrolments, rounds,
                                        vertical))))))));
    }

    private Uni<List<FederationOverview.VerticalModelRow>> verticalRows(Caller caller) {
        return verticalModels.list(caller).chain(all -> VerticalRound.<VerticalRound>listAll().map(rounds -> {
            Map<String, VerticalRound> newest = rounds.stream().collect(Collectors.toMap(r -> r.modelId,
                    Function.identity(), (a, b) -> a.number > b.number ? a : b));
            return all.stream().map(model -> {
                VerticalRound round = newest.get(model.id());
                return new FederationOverview.VerticalModelRow(model.id(), model.purpose(), model.parties().size(),
                        model.labelOwner(), round == null ? 0 : round.number,
                        round == null ? "not started" : round.state.name());
            }).toList();
        }));
    }

    private static FederationOverview overview(List<DomainView> allDomains, List<DataProductView> allProducts,
                                               List<ModelDefinition> allModels, List<Enrolment> enrolments,
                                               List<Round> rounds,
                                               List<FederationOverview.VerticalModelRow> verticalModels) {
        Map<String, Round> newest = rounds.stream().collect(Collectors.toMap(r -> r.modelId, Function.identity(),
                (a, b) -> a.number > b.number ? a : b));
        List<FederationOverview.DomainRow> domainRows = allDomains.stream()
                .map(domain -> new FederationOverview.DomainRow(domain,
                        allProducts.stream().filter(p -> p.domain().equals(domain.id())).count(),
                        enrolments.stream().filter(e -> e.domainId.equals(domain.id())).count()))
                .toList();
        List<FederationOverview.ModelRow> modelRows = allModels.stream()
                .sorted(Comparator.comparing(ModelDefinition::id))
                .map(model -> {
                    Round round = newest.get(model.id());
                    return new FederationOverview.ModelRow(model.id(), model.purpose(), model.strategy().name(),
                            model.policy().minDomains(),
                            enrolments.stream().filter(e -> e.modelId.equals(model.id())).count(),
                            round == null ? 0 : round.number, round == null ? "not started" : round.state.name());
                })
                .toList();
        return new FederationOverview(domainRows, allProducts, modelRows, verticalModels);
    }
}
