package io.meshfl.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.runtime.objectstore.ObjectStoreConfig;
import io.meshfl.runtime.registry.RegistryConfig;
import io.meshfl.secrets.SecretReferences;
import io.meshfl.testing.FunctionContract;
import io.meshfl.testing.FunctionContract.MappedProperty;
import io.meshfl.testing.FunctionContract.Setting;
import io.meshfl.training.function.TrainingConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The training function reads exactly the meshfl.* settings infra/contract/functions.json declares for it, under the
 * environment names the Terraform modules are checked against (infra/terraform/contract-check).
 */
class TrainingSettingsContractTest {

    private final FunctionContract contract = FunctionContract.of("training");

    private static List<MappedProperty> read() {
        List<MappedProperty> read = new ArrayList<>(FunctionContract.properties(TrainingConfig.class));
        read.addAll(FunctionContract.properties(ObjectStoreConfig.class));
        // The registry connection (URL, timeouts); the mapping's token is the aggregation's: training calls the
        // registry with meshfl.training.registry-token or the HTTP caller's own token.
        read.addAll(FunctionContract.properties(RegistryConfig.class).stream()
                .filter(p -> !p.property().equals("meshfl.registry.token")).toList());
        return read;
    }

    @Test
    void theContractDeclaresEverySettingTheFunctionReadsUnderItsEnvironmentNameAndNoOther() {
        assertThat(contract.disagreements(read())).isEmpty();
    }

    @Test
    void everySecretSettingCanBeGivenAsAFileOrASecretArn() {
        assertThat(contract.secretReferences()).isTrue();
        assertThat(SecretReferences.SECRET_PROPERTIES).containsAll(
                contract.settings().stream().filter(Setting::secret).map(Setting::property).toList());
    }

    /*
     * The Knative build takes three kinds of CloudEvents (a schedule's pings, the registry's round-opened events, the
     * vertical steps' object events from the aws-sqs IntegrationSource) and
     * routes them by type; domain-knative's tests hold the event types the module delivers against the same exports.
     */
    @Test
    void eachExportIsTheFunctionItsKnativeEventTypeIsMappedTo() throws IOException {
        Properties shared = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            shared.load(reader);
        }

        assertThat(contract.exports()).containsOnlyKeys("train", "round-opened", "vertical", "vertical-round-opened");
        contract.exports().forEach((function, eventType) -> assertThat(
                shared.getProperty("quarkus.funqy.knative-events.mapping." + function + ".trigger"))
                .as("the Knative mapping of " + function).isEqualTo(eventType));
        // Funqy's Knative binding sends every CloudEvent to an exported function: pings would skip round-opened.
        assertThat(shared.getProperty("quarkus.funqy.export")).isNull();
    }
}
