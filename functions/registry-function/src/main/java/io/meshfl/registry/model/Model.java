package io.meshfl.registry.model;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A federated-learning task; its configuration parts are JSON documents the functions read whole. */
@Entity
@Table(name = "model")
public class Model extends PanacheEntityBase {

    @Id
    public String id;

    @Column(nullable = false)
    public String purpose;

    @Column(nullable = false, columnDefinition = "text")
    public String architecture;

    @Column(nullable = false, columnDefinition = "text")
    public String strategy;

    @Column(nullable = false, columnDefinition = "text")
    public String policy;

    @Column(nullable = false, columnDefinition = "text")
    public String training;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;
}
