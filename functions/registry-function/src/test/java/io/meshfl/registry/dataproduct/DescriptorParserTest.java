package io.meshfl.registry.dataproduct;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.meshfl.registry.Fixtures;
import io.meshfl.registry.problem.FieldError;
import io.meshfl.registry.problem.Problem;
import io.meshfl.testing.DataProductDescriptors;
import org.junit.jupiter.api.Test;

class DescriptorParserTest {

    private final DescriptorParser parser = new DescriptorParser();
    private final String yaml = DataProductDescriptors.churn("sales-churn", "retail", "2.1.0", "churn-prediction");

    @Test
    void readsPortContractAndFederatedLearningProperties() {
        ParsedDescriptor parsed = parser.parse(yaml);

        assertThat(parsed.id()).isEqualTo("sales-churn");
        assertThat(parsed.domain()).isEqualTo("retail");
        assertThat(parsed.version()).isEqualTo("2.1.0");
        assertThat(parsed.status()).isEqualTo("active");
        assertThat(parsed.format()).isEqualTo("csv");
        assertThat(parsed.location()).isEqualTo("s3://meshfl/domains/retail/products/churn.csv");
        assertThat(parsed.columns()).extracting(ParsedDescriptor.Column::name)
                .containsExactly("tenure", "monthly_charges", "churned");
        assertThat(parsed.columns()).extracting(ParsedDescriptor.Column::logicalType)
                .containsExactly("number", "number", "integer");
        assertThat(parsed.labelColumn()).isEqualTo("churned");
        assertThat(parsed.purposes()).containsExactly("churn-prediction");
        assertThat(parsed.minRecords()).isEqualTo(100L);
    }

    @Test
    void jsonAndYamlOfTheSameDescriptorParseAlike() throws Exception {
        String json = new ObjectMapper().writeValueAsString(new YAMLMapper().readTree(yaml));

        assertThat(parser.parse(json)).isEqualTo(parser.parse(yaml));
    }

    @Test
    void twoLabelColumnsAreRefused() {
        String tenure = "logicalType: number\n" + " ".repeat(12) + "- name: monthly_charges";
        String twoLabels = yaml.replace(tenure, "logicalType: number\n" + " ".repeat(14)
                + "customProperties: [{property: label, value: true}]\n" + " ".repeat(12) + "- name: monthly_charges");
        assertThat(twoLabels).isNotEqualTo(yaml);

        assertThatThrownBy(() -> parser.parse(twoLabels)).isInstanceOfSatisfying(Problem.class, problem ->
                assertThat(problem.errors()).extracting(FieldError::field)
                        .containsExactly("outputPorts[0].contract.schema[0].properties"));
    }

    @Test
    void portWithoutAnS3ServerIsRefused() {
        String noS3 = yaml.replace("type: s3", "type: postgres");

        assertThatThrownBy(() -> parser.parse(noS3)).isInstanceOfSatisfying(Problem.class, problem ->
                assertThat(problem.errors()).extracting(FieldError::field)
                        .containsExactly("outputPorts[0].contract.servers"));
    }

    @Test
    void missingTopLevelFieldsAreAllNamed() {
        String bare = "apiVersion: v1.0.0\nkind: DataProduct\n";

        assertThatThrownBy(() -> parser.parse(bare)).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.errors()).extracting(FieldError::field)
                    .contains("apiVersion", "id", "name", "version", "status", "domain", "customProperties", "outputPorts");
        });
    }

    @Test
    void scalarDocumentIsRefused() {
        assertThatThrownBy(() -> parser.parse("just text")).isInstanceOfSatisfying(Problem.class, problem ->
                assertThat(problem.errors()).extracting(FieldError::field).containsExactly("descriptor"));
    }
}
