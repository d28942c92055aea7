package io.meshfl.registry.round;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.OffsetDateTime;
import java.util.List;

/** One round of a model: OPEN → AGGREGATING → CLOSED, or FAILED with a reason. */
@Entity
@Table(name = "round")
public class Round extends PanacheEntityBase {

    public enum State { OPEN, AGGREGATING, CLOSED, FAILED }

    /** Horizontal rounds exchange weights; vertical (split-learning) rounds will exchange activations. */
    public enum Kind { HORIZONTAL }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public int number;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Kind kind = Kind.HORIZONTAL;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(name = "global_model_key", nullable = false, columnDefinition = "text")
    public String globalModelKey;

    @Column(name = "failure_reason", columnDefinition = "text")
    public String failureReason;

    @Column(name = "opened_at", nullable = false)
    public OffsetDateTime openedAt;

    @Column(nullable = false)
    public OffsetDateTime deadline;

    @Column(name = "aggregating_since")
    public OffsetDateTime aggregatingSince;

    @Column(name = "lease_until")
    public OffsetDateTime leaseUntil;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    /** Who is expected to send an update, chosen when the round opened (sorted domain ids). */
    @Convert(converter = DomainList.class)
    @Column(name = "expected_domains", nullable = false, columnDefinition = "text")
    public List<String> expectedDomains = List.of();

    /** How the aggregation function aggregates this round past one invocation (issue 18); null: one invocation. */
    @Convert(converter = AggregationPlanColumn.class)
    @Column(name = "aggregation_plan", columnDefinition = "text")
    public io.meshfl.registry.api.AggregationPlan aggregationPlan;

    @Version
    @Column(nullable = false)
    public long version;
}
