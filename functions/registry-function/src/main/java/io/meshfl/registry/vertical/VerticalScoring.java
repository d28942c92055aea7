package io.meshfl.registry.vertical;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** One scoring of a vertical model: PENDING until the head's outcome is reported (DONE, or FAILED with the reason). */
@Entity
@Table(name = "vertical_scoring")
public class VerticalScoring extends PanacheEntityBase {

    public enum State { PENDING, DONE, FAILED }

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "scoring_id", nullable = false)
    public String scoringId;

    @Column(nullable = false)
    public String session;

    @Column(nullable = false)
    public int version;

    /** The COMPLETED round that produced {@link #version}: the parties' and the head's states after its last window. */
    @Column(nullable = false)
    public int round;

    /** JSON array of the pseudonyms, sorted. */
    @Column(nullable = false, columnDefinition = "text")
    public String pseudonyms;

    @Column(nullable = false)
    public int count;

    @Column(nullable = false)
    public String digest;

    @jakarta.persistence.Enumerated(jakarta.persistence.EnumType.STRING)
    @Column(nullable = false)
    public State state;

    @Column(columnDefinition = "text")
    public String reason;

    @Column(name = "scores_key")
    public String scoresKey;

    @Column(name = "requested_by", nullable = false)
    public String requestedBy;

    @Column(name = "requested_at", nullable = false)
    public OffsetDateTime requestedAt;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    @Column(name = "outcome_by")
    public String outcomeBy;
}
