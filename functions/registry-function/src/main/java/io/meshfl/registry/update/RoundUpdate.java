package io.meshfl.registry.update;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A domain's weight update for a round, as the aggregation function judged it. */
@Entity
@Table(name = "round_update")
public class RoundUpdate extends PanacheEntityBase {

    public enum Status { ACCEPTED, REJECTED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "round_id", nullable = false)
    public Long roundId;

    @Column(name = "domain_id", nullable = false)
    public String domainId;

    @Column(name = "data_product_id")
    public String dataProductId;

    @Column(name = "data_product_version")
    public String dataProductVersion;

    @Column(name = "object_key", nullable = false, columnDefinition = "text")
    public String objectKey;

    @Column(nullable = false)
    public String etag;

    public String sha256;

    @Column(name = "num_examples", nullable = false)
    public long numExamples;

    @Column(name = "base_round", nullable = false)
    public int baseRound;

    /** JSON object of training metrics. */
    @Column(nullable = false, columnDefinition = "text")
    public String metrics;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "registered_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime registeredAt;
}
