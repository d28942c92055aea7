package io.meshfl.registry.update;

import io.meshfl.registry.json.JsonColumns;
import jakarta.enterprise.context.ApplicationScoped;

/** Turns stored updates into their API shape. */
@ApplicationScoped
public class UpdateViews {

    private final JsonColumns json;

    public UpdateViews(JsonColumns json) {
        this.json = json;
    }

    public UpdateView of(RoundUpdate update, boolean duplicate) {
        return new UpdateView(update.id, update.roundId, update.domainId, update.objectKey, update.etag, update.sha256,
                update.numExamples, update.baseRound, json.tree(update.metrics), update.status, update.reason,
                update.dataProductId, update.dataProductVersion, update.registeredAt, duplicate);
    }
}
