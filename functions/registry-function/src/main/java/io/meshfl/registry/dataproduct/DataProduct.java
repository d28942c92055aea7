package io.meshfl.registry.dataproduct;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** A registered data product: the descriptor as submitted and the fields the registry parsed out of it. */
@Entity
@Table(name = "data_product")
public class DataProduct extends PanacheEntityBase {

    @Id
    public String id;

    @Column(name = "domain_id", nullable = false)
    public String domainId;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String version;

    @Column(nullable = false)
    public String status;

    @Column(nullable = false)
    public String format;

    @Column(nullable = false, columnDefinition = "text")
    public String location;

    /** JSON array of {name, logicalType}. */
    @Column(name = "schema_columns", nullable = false, columnDefinition = "text")
    public String columns;

    /** Null only for a product with an entity key and no label (a vertical party's features). */
    @Column(name = "label_column")
    public String labelColumn;

    /** The column identifying an entity across domains (customProperties: entityKey); vertical models need one. */
    @Column(name = "entity_key")
    public String entityKey;

    /** JSON array of the purposes this product may train models for. */
    @Column(nullable = false, columnDefinition = "text")
    public String purposes;

    @Column(name = "min_records")
    public Long minRecords;

    /** The records the product declares it holds (customProperties: records); bounds an update's example count. */
    public Long records;

    @Column(name = "privacy_budget")
    public Double privacyBudget;

    @Column(nullable = false, columnDefinition = "text")
    public String descriptor;

    @Column(name = "descriptor_media_type", nullable = false)
    public String descriptorMediaType;

    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;
}
