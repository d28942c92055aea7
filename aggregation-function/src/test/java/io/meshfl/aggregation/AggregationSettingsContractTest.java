package io.meshfl.aggregation;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.runtime.objectstore.ObjectStoreConfig;
import io.meshfl.runtime.registry.RegistryConfig;
import io.meshfl.secrets.SecretReferences;
import io.meshfl.testing.FunctionContract;
import io.meshfl.testing.FunctionContract.MappedProperty;
import io.meshfl.testing.FunctionContract.Setting;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The aggregation function reads exactly the meshfl.* settings infra/contract/functions.json declares for it, under
 * the environment names the Terraform modules are checked against (infra/terraform/contract-check).
 */
class AggregationSettingsContractTest {

    private final FunctionContract contract = FunctionContract.of("aggregation");

    private static List<MappedProperty> read() {
        List<MappedProperty> read = new ArrayList<>(FunctionContract.properties(AggregationConfig.class));
        read.addAll(FunctionContract.properties(ObjectStoreConfig.class));
        read.addAll(FunctionContract.properties(RegistryConfig.class));
        return read;
    }

    @Test
    void theContractDeclaresEverySettingTheFunctionReadsUnderItsEnvironmentNameAndNoOther() {
        assertThat(contract.disagreements(read())).isEmpty();
    }

    @Test
    void aSettingTheFunctionReadsThatTheContractLacksIsReported() {
        List<MappedProperty> read = new ArrayList<>(read());
        read.add(new MappedProperty("meshfl.aggregation.undeclared", true));

        assertThat(contract.disagreements(read))
                .containsExactly("meshfl.aggregation.undeclared: read by the function, not declared for aggregation");
    }

    /*
     * One package, several deployments: the aggregation Lambda (aggregate) and the sweeper Lambda (sweep) name their
     * function with QUARKUS_FUNQY_EXPORT; on Knative one Service takes both, routed by CloudEvent type. The Terraform
     * modules are checked against the same exports (infra/terraform/contract-check: export, event_types).
     */
    @Test
    void eachExportIsTheFunctionItsKnativeEventTypeIsMappedTo() throws IOException {
        Properties shared = properties(Path.of("src/main/resources/application.properties"));

        assertThat(contract.exports()).containsKeys("aggregate", "sweep");
        contract.exports().forEach((function, eventType) -> assertThat(
                shared.getProperty("quarkus.funqy.knative-events.mapping." + function + ".trigger"))
                .as("the Knative mapping of " + function).isEqualTo(eventType));
    }

    @Test
    void theConfigurationEveryBindingSharesExportsNoFunctionSoKnativeRoutesByType() throws IOException {
        // Funqy's Knative binding sends every CloudEvent to an exported function: the sweep pings would aggregate.
        assertThat(properties(Path.of("src/main/resources/application.properties")).getProperty("quarkus.funqy.export"))
                .isNull();
    }

    @Test
    void theLambdaBuildsDefaultExportIsAFunctionOfThePackage() throws IOException {
        Path lambda = Path.of("src/main/lambda-resources/META-INF/microprofile-config.properties");
        String export = Files.isRegularFile(lambda) ? properties(lambda).getProperty("quarkus.funqy.export") : null;
        if (export != null) {
            assertThat(contract.exports()).containsKey(export);
        }
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    @Test
    void everySecretSettingCanBeGivenAsAFileOrASecretArn() {
        assertThat(contract.secretReferences()).isTrue();
        assertThat(SecretReferences.SECRET_PROPERTIES).containsAll(
                contract.settings().stream().filter(Setting::secret).map(Setting::property).toList());
    }

    @Test
    void everyFunctionThatTakesSecretReferencesHasEachOfItsSecretsResolved() {
        for (String function : List.of("training", "aggregation", "registry")) {
            FunctionContract other = FunctionContract.of(function);
            if (other.secretReferences()) {
                assertThat(SecretReferences.SECRET_PROPERTIES).as(function).containsAll(
                        other.settings().stream().filter(Setting::secret).map(Setting::property).toList());
            }
        }
    }
}
