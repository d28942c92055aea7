package io.meshfl.registry.version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/**
 * A global model version. Number n is {@code models/{model}/global/{n}.safetensors}, the base of round n:
 * version 1 is the governance's initial model, version n+1 is what round n aggregated.
 */
@Entity
@Table(name = "model_version")
public class ModelVersion extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public int number;

    @Column(name = "object_key", nullable = false, columnDefinition = "text")
    public String objectKey;

    public String checksum;

    /** JSON array of the domains whose updates went into this version. */
    @Column(name = "aggregated_from", nullable = false, columnDefinition = "text")
    public String aggregatedFrom;

    @Column(name = "strategy_state_key", columnDefinition = "text")
    public String strategyStateKey;

    @Column(name = "produced_by_round_id")
    public Long producedByRoundId;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
