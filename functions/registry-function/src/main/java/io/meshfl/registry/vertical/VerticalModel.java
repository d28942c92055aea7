package io.meshfl.registry.vertical;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A vertical (split-learning) model; its parties are {@link VerticalParty} rows, its settings JSON documents. */
@Entity
@Table(name = "vertical_model")
public class VerticalModel extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String purpose;

    /** {@code governance} (labels shared with the governance side) or the domain that owns labels and head. */
    @Column(name = "label_owner", nullable = false)
    public String labelOwner;

    /** The party whose data product holds the label column. */
    @Column(name = "label_source", nullable = false)
    public String labelSource;

    @Column(nullable = false, columnDefinition = "text")
    public String architecture;

    @Column(nullable = false, columnDefinition = "text")
    public String policy;

    @Column(nullable = false, columnDefinition = "text")
    public String training;

    /** The PSI session the model trains on; rounds opened from now on name it. */
    @Column(name = "psi_session")
    public String psiSession;

    /** The governance-side head's public key (labels shared only); rounds opened from now on verify with it. */
    @Column(name = "head_public_key", columnDefinition = "text")
    public String headPublicKey;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
