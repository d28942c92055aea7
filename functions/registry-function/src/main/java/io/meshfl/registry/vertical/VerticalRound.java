package io.meshfl.registry.vertical;

import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.round.DomainList;
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
import java.time.OffsetDateTime;
import java.util.List;

/** One vertical round: OPEN → COMPLETED, or FAILED with the first open window, the missing parties and the reason. */
@Entity
@Table(name = "vertical_round")
public class VerticalRound extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(nullable = false)
    public int number;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public VerticalRoundState state;

    @Column(nullable = false)
    public int windows;

    /** The version of the states this round trains from (1: the initial parameters). */
    @Column(name = "base_version", nullable = false)
    public int baseVersion;

    /** The version a COMPLETED round produced ({@code baseVersion + 1}). */
    @Column(name = "produced_version")
    public Integer producedVersion;

    /** The round that produced {@link #baseVersion} (null for version 1). */
    @Column(name = "starts_from_round")
    public Integer startsFromRound;

    @Column(name = "opened_at", nullable = false)
    public OffsetDateTime openedAt;

    @Column(nullable = false)
    public OffsetDateTime deadline;

    @Column(name = "closed_at")
    public OffsetDateTime closedAt;

    @Column(name = "failed_window")
    public Integer failedWindow;

    @Convert(converter = DomainList.class)
    @Column(columnDefinition = "text")
    public List<String> missing;

    @Column(name = "failure_reason", columnDefinition = "text")
    public String failureReason;

    @Column(name = "outcome_by")
    public String outcomeBy;

    /** The version of each party's data product when the round opened (JSON {domain: version}): its lineage. */
    @Column(name = "data_product_versions", nullable = false, columnDefinition = "text")
    public String dataProductVersions;

    /** The PSI session the round trains on, as the model named it when the round opened. */
    @Column(name = "psi_session")
    public String psiSession;

    /**
     * The public keys (X.509, Base64) of every party and of the head owner when the round opened (JSON {owner: key}):
     * the keys its embeddings, gradients and outcome are verified with, whatever changes later.
     */
    @Column(name = "public_keys", columnDefinition = "text")
    public String publicKeys;
}
