package io.meshfl.mesh.dataproduct;

import java.nio.file.Path;

/**
 * A domain's data product as files on this machine, before it is uploaded to the domain's prefix: the rows,
 * the descriptor, and the hold-out rows that stay with the mesh for evaluation.
 */
public record DomainDataProduct(String domain, DataProductDescriptor descriptor, String objectKey, Path rowsFile,
                                Path descriptorFile, Path holdOutFile) {
}
