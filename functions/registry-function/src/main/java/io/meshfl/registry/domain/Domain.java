package io.meshfl.registry.domain;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A domain of the mesh, as the federation enrolled it. */
@Entity
@Table(name = "domain")
public class Domain extends PanacheEntityBase {

    public enum Status { ACTIVE, SUSPENDED }

    @Id
    public String id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String owner;

    /** Ed25519 public key (X.509 SubjectPublicKeyInfo, Base64) that verifies this domain's signed updates. */
    @Column(name = "public_key")
    public String publicKey;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status = Status.ACTIVE;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
