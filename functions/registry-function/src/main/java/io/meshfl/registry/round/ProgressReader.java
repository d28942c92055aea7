package io.meshfl.registry.round;

import io.meshfl.registry.model.Model;
import io.meshfl.registry.model.ModelService;
import io.meshfl.registry.update.RoundUpdate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads what {@link RoundProgress} judges, in the caller's session, at the database's current time. */
@ApplicationScoped
public class ProgressReader {

    private final ModelService models;
    private final DatabaseClock clock;

    public ProgressReader(ModelService models, DatabaseClock clock) {
        this.models = models;
        this.clock = clock;
    }

    /** The progress of one round (lock it first if a decision follows). */
    public Uni<RoundProgress> of(Round round) {
        return clock.now().chain(now -> of(List.of(round), now)).map(all -> all.get(0));
    }

    /** Every OPEN round and every AGGREGATING round whose lease ran out: what the sweeper may have to act on. */
    public Uni<List<RoundProgress>> unfinished() {
        return clock.now().chain(now -> Round.<Round>list(
                        "state = ?1 or (state = ?2 and leaseUntil < ?3) order by id",
                        Round.State.OPEN, Round.State.AGGREGATING, now)
                .chain(rounds -> of(rounds, now)));
    }

    private Uni<List<RoundProgress>> of(List<Round> rounds, OffsetDateTime now) {
        if (rounds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = rounds.stream().map(r -> r.id).toList();
        List<String> modelIds = rounds.stream().map(r -> r.modelId).distinct().toList();
        return RoundUpdate.<RoundUpdate>list("roundId in ?1", ids).chain(updates -> Model.<Model>list("id in ?1", modelIds)
                .map(found -> {
                    Map<String, Model> byId = new HashMap<>();
                    found.forEach(model -> byId.put(model.id, model));
                    List<RoundProgress> progress = new ArrayList<>();
                    for (Round round : rounds) {
                        Set<String> accepted = new HashSet<>();
                        Set<String> judged = new HashSet<>();
                        updates.stream().filter(u -> u.roundId.equals(round.id)).forEach(u -> {
                            judged.add(u.domainId);
                            if (u.status == RoundUpdate.Status.ACCEPTED) {
                                accepted.add(u.domainId);
                            }
                        });
                        progress.add(new RoundProgress(round, models.definition(byId.get(round.modelId)).policy(),
                                accepted, judged, now));
                    }
                    return progress;
                }));
    }
}
