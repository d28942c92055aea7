package io.meshfl.mesh.dataset;

/** One domain's rows: what it publishes as its data product, and what it keeps back for evaluation. */
public record DomainShare(String domain, TabularDataset published, TabularDataset holdOut) {
}
