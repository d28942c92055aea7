package io.meshfl.registry.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.registry.events.EventsConfig;
import io.meshfl.testing.FunctionContract;
import io.meshfl.testing.FunctionContract.MappedProperty;
import io.meshfl.testing.FunctionContract.Setting;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The registry reads exactly the meshfl.* settings infra/contract/functions.json declares for it, under the
 * environment names the Terraform modules are checked against (infra/terraform/contract-check).
 */
class RegistrySettingsContractTest {

    private final FunctionContract contract = FunctionContract.of("registry");

    @Test
    void theContractDeclaresEveryMeshflSettingTheRegistryReadsUnderItsEnvironmentName() {
        Map<String, Setting> declared = contract.settings("meshfl").stream()
                .collect(Collectors.toMap(Setting::property, Function.identity()));
        List<MappedProperty> read = FunctionContract.properties(EventsConfig.class);

        assertThat(declared.keySet()).containsExactlyInAnyOrderElementsOf(read.stream().map(MappedProperty::property).toList());
        for (MappedProperty property : read) {
            assertThat(declared.get(property.property()).env()).isEqualTo(FunctionContract.envName(property.property()));
        }
    }
}
