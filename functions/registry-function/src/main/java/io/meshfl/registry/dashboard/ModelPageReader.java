package io.meshfl.registry.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.registry.api.EnrolmentView;
import io.meshfl.registry.model.ModelDefinition;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.security.Caller;
import io.meshfl.registry.update.RoundUpdate;
import io.meshfl.registry.version.EvaluationView;
import io.meshfl.registry.version.LineageView;
import io.meshfl.registry.version.VersionService;
import io.meshfl.registry.version.VersionView;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reads (never writes) what the model page shows, through the registry's services and entities. */
@ApplicationScoped
public class ModelPageReader {

    private final ModelService models;
    private final VersionService versions;
    private final ObjectMapper json;

    public ModelPageReader(ModelService models, VersionService versions, ObjectMapper json) {
        this.models = models;
        this.versions = versions;
        this.json = json;
    }

    public Uni<ModelPage> read(Caller caller, String modelId) {
        return Panache.withSession(() -> models.get(modelId).chain(model -> Round.<Round>list(
                        "modelId = ?1 order by number", modelId)
                .chain(rounds -> updatesOf(rounds).chain(updates -> models.enrolments(caller, modelId)
                        .chain(enrolments -> versions.versions(modelId).chain(all -> lineageOfNewest(modelId, all)
                                .map(lineage -> page(model, rounds, updates, enrolments, all, lineage))))))));
    }

    private static Uni<List<RoundUpdate>> updatesOf(List<Round> rounds) {
        if (rounds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return RoundUpdate.list("roundId in ?1 order by registeredAt, id", rounds.stream().map(r -> r.id).toList());
    }

    private Uni<LineageView> lineageOfNewest(String modelId, List<VersionView> all) {
        return all.isEmpty() ? Uni.createFrom().nullItem() : versions.lineage(modelId, all.get(all.size() - 1).round());
    }

    private ModelPage page(ModelDefinition model, List<Round> rounds, List<RoundUpdate> updates,
                           List<EnrolmentView> enrolments, List<VersionView> all, LineageView lineage) {
        Map<Long, List<RoundUpdate>> byRound = updates.stream().collect(Collectors.groupingBy(u -> u.roundId));
        Map<Long, Integer> numberOf = rounds.stream().collect(Collectors.toMap(r -> r.id, r -> r.number));
        List<RoundRow> roundRows = rounds.stream()
                .map(round -> RoundRow.of(round, byRound.getOrDefault(round.id, List.of())))
                .toList();
        List<ModelPage.DomainContribution> contributions = enrolments.stream()
                .map(enrolment -> contribution(enrolment, updates, all))
                .toList();
        List<ModelPage.RejectedUpdate> rejected = updates.stream()
                .filter(u -> u.status == RoundUpdate.Status.REJECTED)
                .map(u -> new ModelPage.RejectedUpdate(numberOf.get(u.roundId), u.domainId, u.reason,
                        DisplayFormats.time(u.registeredAt)))
                .toList();
        List<ModelPage.ChartView> charts = List.of(
                chart("Accuracy", MetricChart.of("accuracy", all)), chart("Loss", MetricChart.of("loss", all)));
        VersionView current = all.isEmpty() ? null : all.get(all.size() - 1);
        return new ModelPage(model, roundRows, contributions, rejected, charts, current, lineage);
    }

    private static ModelPage.DomainContribution contribution(EnrolmentView enrolment, List<RoundUpdate> updates,
                                                             List<VersionView> all) {
        List<RoundUpdate> own = updates.stream().filter(u -> u.domainId.equals(enrolment.domain())).toList();
        List<RoundUpdate> accepted = own.stream().filter(u -> u.status == RoundUpdate.Status.ACCEPTED).toList();
        Double latestAccuracy = all.stream()
                .sorted(Comparator.comparingInt(VersionView::round).reversed())
                .flatMap(version -> version.metrics().stream())
                .filter(e -> e.domain().equals(enrolment.domain()) && e.metrics().path("accuracy").isNumber())
                .map(EvaluationView::metrics)
                .map(metrics -> metrics.get("accuracy").asDouble())
                .findFirst().orElse(null);
        return new ModelPage.DomainContribution(enrolment.domain(), enrolment.dataProduct(), accepted.size(),
                own.size() - accepted.size(), accepted.stream().mapToLong(u -> u.numExamples).sum(),
                DisplayFormats.percent(latestAccuracy));
    }

    private ModelPage.ChartView chart(String title, MetricChart chart) {
        try {
            return new ModelPage.ChartView(title, chart, json.writeValueAsString(chart));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the " + chart.metric() + " chart as JSON", e);
        }
    }
}
