package io.meshfl.training.dataproduct;

import java.nio.file.Path;

/** A data product's output port, downloaded to a local file. {@code id} names it in error messages. */
public record DataProductFile(String id, Path path, DataProductFormat format) {
}
