package io.meshfl.mesh.dataproduct;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.mesh.dataset.CsvDatasetWriter;
import io.meshfl.mesh.dataset.DomainShare;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes each domain's share as a data product under {@code DATA_DIR/domains/{domain}/}: {@code rows.csv},
 * {@code data-product.yaml} (ODPS) and {@code holdout.csv}. The object key is where the domain publishes the rows
 * in the federation's bucket: under its own prefix {@code domains/{domain}/}.
 */
public final class DataProductFiles {

    public static final String VERSION = "1.0.0";

    private final Path domainsDir;
    private final String bucket;
    private final List<String> eligiblePurposes;

    public DataProductFiles(Path domainsDir, String bucket, List<String> eligiblePurposes) {
        this.domainsDir = domainsDir;
        this.bucket = bucket;
        this.eligiblePurposes = List.copyOf(eligiblePurposes);
    }

    public DomainDataProduct write(DomainShare share, String datasetName) {
        String domain = share.domain();
        String id = domain + "-" + datasetName;
        String objectKey = ObjectKeys.dataProductFile(domain, id, VERSION, "rows.csv");
        Path dir = domainsDir.resolve(domain);
        Path rows = dir.resolve("rows.csv");
        Path holdOut = dir.resolve("holdout.csv");
        Path descriptorFile = dir.resolve("data-product.yaml");
        CsvDatasetWriter writer = new CsvDatasetWriter(CsvDatasetWriter.LabelEncoding.INDICES);
        writer.write(share.published(), rows);
        writer.write(share.holdOut(), holdOut);
        DataProductDescriptor descriptor = new DataProductDescriptor(
                id,
                datasetName + " rows of " + domain,
                VERSION,
                domain,
                "Labelled " + datasetName + " observations collected by " + domain + ", for federated classification.",
                "s3://" + bucket + "/" + objectKey,
                "csv",
                share.published().featureNames(),
                share.published().labelName(),
                share.published().classes(),
                eligiblePurposes,
                share.published().rows());
        try {
            Files.writeString(descriptorFile, descriptor.toYaml(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + descriptorFile, e);
        }
        return new DomainDataProduct(domain, descriptor, objectKey, rows, descriptorFile, holdOut);
    }
}
