package io.meshfl.testing;

/** Data product descriptors as the registry accepts them (ODPS v1.1 with an ODCS v3 contract), for tests. */
public final class DataProductDescriptors {

    private DataProductDescriptors() {
    }

    /**
     * A domain's churn features in YAML: one output port whose contract has an s3 CSV server and a schema of
     * {@code tenure}, {@code monthly_charges} and the label {@code churned}; eligible for {@code purpose}.
     */
    public static String churn(String productId, String domain, String version, String purpose) {
        return """
                apiVersion: v1.1.0
                kind: DataProduct
                id: %s
                name: Churn features of %s
                version: "%s"
                status: active
                domain: %s
                description:
                  purpose: Customer churn features
                  limitations: Pseudonymised
                  usage: Federated training only
                outputPorts:
                  - name: training
                    version: "1.0.0"
                    contract:
                      apiVersion: v3.0.2
                      kind: DataContract
                      id: %s-contract
                      version: "1.0.0"
                      status: active
                      servers:
                        - server: local
                          type: s3
                          location: s3://meshfl/domains/%s/products/churn.csv
                          format: csv
                      schema:
                        - name: churn
                          physicalType: table
                          properties:
                            - name: tenure
                              logicalType: number
                            - name: monthly_charges
                              logicalType: number
                            - name: churned
                              logicalType: integer
                              customProperties:
                                - property: label
                                  value: true
                customProperties:
                  - property: eligiblePurposes
                    value: [%s]
                  - property: minRecords
                    value: 100
                """.formatted(productId, domain, version, domain, productId, domain, purpose);
    }

    /** {@link #churn} declaring how many records the product holds (the bound on an update's example count). */
    public static String churn(String productId, String domain, String version, String purpose, long records) {
        return churn(productId, domain, version, purpose) + """
                  - property: records
                    value: %d
                """.formatted(records);
    }

    /**
     * A vertical party's product in YAML: the entity key column {@code entityKey} (a string), the numeric
     * {@code features}, and the integer {@code label} column if it is not null (the party holding the labels); declares
     * {@code customProperties: entityKey}. Eligible for {@code purpose}.
     */
    public static String entityColumns(String productId, String domain, String purpose, String entityKey,
            java.util.List<String> features, String label) {
        StringBuilder properties = new StringBuilder();
        properties.append("            - {name: ").append(entityKey).append(", logicalType: string}\n");
        for (String feature : features) {
            properties.append("            - {name: ").append(feature).append(", logicalType: number}\n");
        }
        if (label != null) {
            properties.append("            - {name: ").append(label).append(", logicalType: integer, ")
                    .append("customProperties: [{property: label, value: true}]}\n");
        }
        return """
                apiVersion: v1.1.0
                kind: DataProduct
                id: %s
                name: Entity columns of %s
                version: "1.0.0"
                status: active
                domain: %s
                outputPorts:
                  - name: training
                    contract:
                      apiVersion: v3.0.2
                      kind: DataContract
                      servers: [{server: local, type: s3, location: "s3://meshfl/domains/%s/products/%s.csv", format: csv}]
                      schema:
                        - name: entities
                          properties:
                """.formatted(productId, domain, domain, domain, productId) + properties + """
                customProperties:
                  - {property: eligiblePurposes, value: [%s]}
                  - {property: entityKey, value: %s}
                """.formatted(purpose, entityKey);
    }
}
