package io.meshfl.registry.version;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A domain's evaluation of a round's global model on its hold-out split. */
@Entity
@Table(name = "evaluation")
public class Evaluation extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "round_id", nullable = false)
    public Long roundId;

    @Column(name = "domain_id", nullable = false)
    public String domainId;

    @Column(name = "num_examples", nullable = false)
    public long numExamples;

    /** JSON object such as {loss, accuracy, auc, rmse}. */
    @Column(nullable = false, columnDefinition = "text")
    public String metrics;

    @Column(name = "reported_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime reportedAt;
}
