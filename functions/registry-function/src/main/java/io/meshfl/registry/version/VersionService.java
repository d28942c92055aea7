package io.meshfl.registry.version;

import io.meshfl.registry.json.JsonColumns;
import io.meshfl.registry.model.Model;
import io.meshfl.registry.problem.Problem;
import io.meshfl.registry.round.Round;
import io.meshfl.registry.update.RoundUpdate;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** A model's global versions with their evaluations, and the lineage of each. */
@ApplicationScoped
public class VersionService {

    private final JsonColumns json;
    private final EvaluationService evaluations;

    public VersionService(JsonColumns json, EvaluationService evaluations) {
        this.json = json;
        this.evaluations = evaluations;
    }

    public Uni<List<VersionView>> versions(String modelId) {
        return Panache.withSession(() -> Model.<Model>findById(modelId)
                .onItem().ifNull().failWith(() -> Problem.notFound("No model '" + modelId + "'"))
                .chain(model -> ModelVersion.<ModelVersion>list("modelId = ?1 order by number", modelId))
                .chain(versions -> Round.<Round>list("modelId", modelId).chain(rounds -> {
                    Map<Long, Integer> numberOf = rounds.stream().collect(Collectors.toMap(r -> r.id, r -> r.number));
                    Map<Integer, Long> idOf = rounds.stream().collect(Collectors.toMap(r -> r.number, r -> r.id));
                    Uni<List<Evaluation>> evaluated = rounds.isEmpty() ? Uni.createFrom().item(List.of())
                            : Evaluation.list("roundId in ?1", rounds.stream().map(r -> r.id).toList());
                    return evaluated
                            .map(all -> versions.stream().map(version -> new VersionView(version.number,
                                    version.objectKey, version.checksum, json.strings(version.aggregatedFrom),
                                    version.strategyStateKey, numberOf.get(version.producedByRoundId),
                                    all.stream()
                                            .filter(e -> e.roundId.equals(idOf.get(version.number)))
                                            .map(e -> evaluations.view(e, false))
                                            .toList()))
                                    .toList());
                })));
    }

    public Uni<LineageView> lineage(String modelId, int number) {
        return Panache.withSession(() -> ModelVersion.<ModelVersion>find("modelId = ?1 and number = ?2", modelId, number)
                .<ModelVersion>firstResult()
                .onItem().ifNull().failWith(() -> Problem.notFound("Model '" + modelId + "' has no version " + number))
                .chain(version -> {
                    if (version.producedByRoundId == null) {
                        return Uni.createFrom().item(new LineageView(modelId, number, version.objectKey, null, List.of()));
                    }
                    Set<String> from = Set.copyOf(json.strings(version.aggregatedFrom));
                    return RoundUpdate.<RoundUpdate>list("roundId = ?1 and status = ?2 order by domainId",
                                    version.producedByRoundId, RoundUpdate.Status.ACCEPTED)
                            .map(updates -> new LineageView(modelId, number, version.objectKey, number - 1,
                                    updates.stream()
                                            .filter(u -> from.contains(u.domainId))
                                            .map(u -> new LineageView.Contribution(u.domainId, u.dataProductId,
                                                    u.dataProductVersion, u.numExamples, u.objectKey, u.sha256))
                                            .toList()));
                }));
    }
}
