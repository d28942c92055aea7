package io.meshfl.training.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.TensorSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArchitectureTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void readsAndWritesTheRegistrysJson() throws Exception {
        Architecture architecture = json.readValue(
                "{\"template\": \"mlp\", \"inputs\": 20, \"hidden\": [64, 32], \"outputs\": 2}", Architecture.class);

        assertThat(architecture).isEqualTo(Architecture.mlp(20, List.of(64, 32), 2));
        assertThat(json.readValue(json.writeValueAsString(architecture), Architecture.class)).isEqualTo(architecture);
        assertThat(json.readTree(json.writeValueAsString(architecture)).get("template").asText()).isEqualTo("mlp");
    }

    @Test
    void namesParametersAsAPyTorchSequentialOfLinearLayers() {
        Architecture architecture = Architecture.mlp(20, List.of(64, 32), 3);

        assertThat(architecture.parameters()).containsExactly(
                TensorSpec.of("layers.0.weight", Dtype.F32, 64, 20),
                TensorSpec.of("layers.0.bias", Dtype.F32, 64),
                TensorSpec.of("layers.1.weight", Dtype.F32, 32, 64),
                TensorSpec.of("layers.1.bias", Dtype.F32, 32),
                TensorSpec.of("layers.2.weight", Dtype.F32, 3, 32),
                TensorSpec.of("layers.2.bias", Dtype.F32, 3));
    }

    @Test
    void logisticRegressionIsOneLinearLayerOverTheClasses() {
        assertThat(Architecture.logisticRegression(5, 2).parameters()).containsExactly(
                TensorSpec.of("layers.0.weight", Dtype.F32, 2, 5),
                TensorSpec.of("layers.0.bias", Dtype.F32, 2));
    }

    @Test
    void readsOmittedHiddenLayersAsNone() throws Exception {
        Architecture architecture = json.readValue(
                "{\"template\": \"logistic-regression\", \"inputs\": 4, \"outputs\": 3}", Architecture.class);

        assertThat(architecture.hidden()).isEmpty();
        assertThat(architecture.task()).isEqualTo(Task.CLASSIFICATION);
    }

    @Test
    void rejectsAnUnknownTemplateNamingTheKnownOnes() {
        assertThatThrownBy(() -> Template.of("transformer"))
                .hasMessageContaining("'transformer'")
                .hasMessageContaining("logistic-regression, mlp, mlp-regressor");
    }

    @Test
    void rejectsShapesThatCannotBeAModel() {
        assertThatThrownBy(() -> Architecture.mlp(0, List.of(8), 2)).hasMessageContaining("inputs");
        assertThatThrownBy(() -> Architecture.mlp(3, List.of(), 2)).hasMessageContaining("hidden layer");
        assertThatThrownBy(() -> Architecture.mlp(3, List.of(8, 0), 2)).hasMessageContaining("hidden[1]");
        assertThatThrownBy(() -> Architecture.logisticRegression(3, 1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> new Architecture(Template.LOGISTIC_REGRESSION, 3, List.of(4), 2))
                .hasMessageContaining("no hidden layers");
        assertThatThrownBy(() -> new Architecture(Template.MLP_REGRESSOR, 3, List.of(4), 2))
                .hasMessageContaining("outputs must be 1");
    }
}
