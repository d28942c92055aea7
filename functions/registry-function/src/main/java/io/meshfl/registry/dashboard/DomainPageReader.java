package io.meshfl.registry.dashboard;

import io.meshfl.registry.dataproduct.DataProductService;
import io.meshfl.registry.dataproduct.DataProductView;
import io.meshfl.registry.domain.DomainService;
import io.meshfl.registry.domain.DomainView;
import io.meshfl.registry.model.Enrolment;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.update.RoundUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Reads (never writes) what the domain page shows, through the registry's services and entities. */
@ApplicationScoped
public class DomainPageReader {

    /** The page lists the newest updates only (the counts cover them all); the API has every one. */
    static final int UPDATES_SHOWN = 100;

    private final DomainService domains;
    private final DataProductService products;

    public DomainPageReader(DomainService domains, DataProductService products) {
        this.domains = domains;
        this.products = products;
    }

    public Uni<DomainPage> read(Caller caller, String domainId) {
        return Panache.withSession(() -> domains.get(caller, domainId).chain(domain -> products.list(caller)
                .chain(allProducts -> Enrolment.<Enrolment>list("domainId = ?1 order by modelId", domainId)
                        .chain(enrolments -> RoundUpdate.<RoundUpdate>list(
                                        "domainId = ?1 order by registeredAt desc, id desc", domainId)
                                .chain(updates -> roundsOf(updates).map(rounds -> page(domain, allProducts,
                                        enrolments, updates, rounds)))))));
    }

    private static Uni<List<Round>> roundsOf(List<RoundUpdate> updates) {
        if (updates.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Round.list("id in ?1", updates.stream().map(u -> u.roundId).distinct().toList());
    }

    private static DomainPage page(DomainView domain, List<DataProductView> allProducts, List<Enrolment> enrolments,
                                   List<RoundUpdate> updates, List<Round> rounds) {
        Map<Long, Round> roundOf = rounds.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
        List<DomainPage.Participation> models = enrolments.stream().map(enrolment -> {
            List<RoundUpdate> own = updates.stream()
                    .filter(u -> roundOf.get(u.roundId).modelId.equals(enrolment.modelId))
                    .toList();
            List<RoundUpdate> accepted = own.stream().filter(u -> u.status == RoundUpdate.Status.ACCEPTED).toList();
            return new DomainPage.Participation(enrolment.modelId, enrolment.dataProductId, accepted.size(),
                    own.size() - accepted.size(), accepted.stream().mapToLong(u -> u.numExamples).sum());
        }).toList();
        List<DomainPage.UpdateRow> rows = updates.stream()
                .limit(UPDATES_SHOWN)
                .map(u -> new DomainPage.UpdateRow(roundOf.get(u.roundId).modelId, roundOf.get(u.roundId).number,
                        u.status.name(), u.numExamples, u.reason == null ? "" : u.reason,
                        DisplayFormats.time(u.registeredAt)))
                .toList();
        return new DomainPage(domain,
                allProducts.stream().filter(p -> p.domain().equals(domain.id())).toList(), models, rows);
    }
}
