package io.meshfl.mesh.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.meshfl.mesh.dataset.CsvDatasetReader;
import io.meshfl.mesh.dataset.FederatedSplit;
import io.meshfl.mesh.dataset.GaussianMixtureGenerator;
import io.meshfl.mesh.dataset.TabularDataset;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataProductFilesTest {

    @TempDir
    Path dir;

    @Test
    void eachDomainGetsItsRowsHoldOutAndAnOdpsDescriptorWithAnOdcsSchema() throws Exception {
        TabularDataset data = new GaussianMixtureGenerator(1_000, 3, 3, 1, 2.0).generate(1);
        FederatedSplit split = FederatedSplit.of(data, List.of("domain-1", "domain-2"), 1.0, 1);

        DomainDataProduct product = new DataProductFiles(dir, "meshfl", List.of("demo-classification"))
                .write(split.shares().get(0), "mixture");

        TabularDataset rows = new CsvDatasetReader().read(product.rowsFile(), "label");
        TabularDataset holdOut = new CsvDatasetReader().read(product.holdOutFile(), "label");
        assertThat(rows.rows()).isEqualTo(split.shares().get(0).published().rows());
        assertThat(holdOut.rows()).isEqualTo(split.shares().get(0).holdOut().rows());
        // Labels are published as class indices: "class_2" is written 2.
        assertThat(rows.classes()).isSubsetOf("0", "1", "2");
        String firstRow = java.nio.file.Files.readAllLines(product.rowsFile()).get(1);
        assertThat(firstRow).endsWith("," + split.shares().get(0).published().labels()[0]);
        assertThat(product.objectKey()).isEqualTo("domains/domain-1/data-products/domain-1-mixture/1.0.0/rows.csv");

        JsonNode yaml = new ObjectMapper(new YAMLFactory()).readTree(product.descriptorFile().toFile());
        assertThat(yaml.get("apiVersion").asText()).isEqualTo("v1.1.0");
        assertThat(yaml.get("kind").asText()).isEqualTo("DataProduct");
        assertThat(yaml.get("id").asText()).isEqualTo("domain-1-mixture");
        assertThat(yaml.get("domain").asText()).isEqualTo("domain-1");
        assertThat(yaml.at("/description/purpose").asText()).isNotBlank();
        assertThat(yaml.at("/description/limitations").asText()).isNotBlank();
        assertThat(yaml.at("/description/usage").asText()).isNotBlank();
        JsonNode port = yaml.at("/outputPorts/0");
        assertThat(port.get("location").asText()).isEqualTo("s3://meshfl/" + product.objectKey());
        assertThat(port.get("format").asText()).isEqualTo("csv");
        JsonNode contract = port.get("contract");
        assertThat(contract.get("apiVersion").asText()).startsWith("v3.");
        assertThat(contract.at("/servers/0/type").asText()).isEqualTo("s3");
        assertThat(contract.at("/servers/0/location").asText()).isEqualTo(port.get("location").asText());
        JsonNode columns = contract.at("/schema/0/properties");
        assertThat(columns).hasSize(4);
        assertThat(columns.get(0).get("name").asText()).isEqualTo("x01");
        assertThat(columns.get(0).get("logicalType").asText()).isEqualTo("number");
        assertThat(columns.get(3).get("name").asText()).isEqualTo("label");
        assertThat(columns.get(3).get("logicalType").asText()).isEqualTo("integer");
        assertThat(columns.get(3).at("/customProperties/1/value").toString())
                .isEqualTo("[\"class_0\",\"class_1\",\"class_2\"]");
        assertThat(yaml.at("/customProperties/0/property").asText()).isEqualTo("eligiblePurposes");
        assertThat(yaml.at("/customProperties/0/value/0").asText()).isEqualTo("demo-classification");
        assertThat(yaml.at("/customProperties/1/value").asText()).isEqualTo("label");
    }

    @Test
    void theHoldOutUnionIsTheSumOfTheDomainsHoldOutsAndNothingIsLost() {
        TabularDataset data = new GaussianMixtureGenerator(1_000, 3, 3, 1, 2.0).generate(1);

        FederatedSplit split = FederatedSplit.of(data, List.of("a", "b", "c"), 0.5, 2);

        assertThat(split.unionHoldOut().rows() + split.unionPublished().rows()).isEqualTo(1_000);
        assertThat(split.unionHoldOut().rows()).isEqualTo(split.shares().stream().mapToInt(s -> s.holdOut().rows()).sum());
    }
}
