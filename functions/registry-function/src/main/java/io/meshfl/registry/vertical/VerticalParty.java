package io.meshfl.registry.vertical;

import io.meshfl.registry.round.DomainList;
import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.List;

/** A domain taking part in a vertical model with one of its data products and the feature columns it contributes. */
@Entity
@Table(name = "vertical_party")
public class VerticalParty extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "model_id", nullable = false)
    public String modelId;

    @Column(name = "domain_id", nullable = false)
    public String domainId;

    @Column(name = "data_product_id", nullable = false)
    public String dataProductId;

    /** The product's version when the governance registered the model: the lineage names what trained. */
    @Column(name = "data_product_version", nullable = false)
    public String dataProductVersion;

    @Convert(converter = DomainList.class)
    @Column(name = "feature_columns", nullable = false, columnDefinition = "text")
    public List<String> columns = List.of();
}
