package io.meshfl.registry.dataproduct;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** A data product as the API shows it; {@code descriptor} (as submitted) only when one product is read. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DataProductView(String id, String domain, String name, String version, String status, String format,
                              String location, List<ParsedDescriptor.Column> columns, String labelColumn,
                              List<String> purposes, Long minRecords, Double privacyBudget, Long records,
                              String entityKey, String descriptor) {

    public DataProductView withoutDescriptor() {
        return new DataProductView(id, domain, name, version, status, format, location, columns, labelColumn, purposes,
                minRecords, privacyBudget, records, entityKey, null);
    }
}
