package io.meshfl.registry.dashboard;

import io.meshfl.registry.security.Caller;
import io.meshfl.registry.vertical.VerticalModelService;
import io.meshfl.registry.vertical.VerticalRound;
import io.meshfl.registry.vertical.VerticalRoundViews;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

/** Reads (never writes) a vertical model's page. */
@ApplicationScoped
public class VerticalModelPageReader {

    private final VerticalModelService models;

    public VerticalModelPageReader(VerticalModelService models) {
        this.models = models;
    }

    public Uni<VerticalModelPage> read(Caller caller, String id) {
        return models.get(caller, id).chain(model -> Panache.withSession(() -> VerticalRound
                .<VerticalRound>list("modelId = ?1 order by number", id)
                .map(rounds -> new VerticalModelPage(model,
                        model.parties().stream().map(p -> VerticalModelPage.PartyRow.of(model, p)).toList(),
                        rounds.stream().map(r -> VerticalModelPage.VerticalRoundRow.of(r,
                                new java.util.TreeMap<>(VerticalRoundViews.versions(r)))).toList()))));
    }
}
