package io.meshfl.core.keys;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.core.event.UpdateKey;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    @Test
    void theLayoutIsTheDocumentedOne() {
        assertThat(ObjectKeys.globalModel("churn", 3)).isEqualTo("models/churn/global/3.safetensors");
        assertThat(ObjectKeys.strategyState("churn", 3)).isEqualTo("models/churn/state/3.safetensors");
        assertThat(ObjectKeys.scratchPrefix("churn", 3)).isEqualTo("models/churn/tmp/3-");
        assertThat(ObjectKeys.update("churn", 2, "alpha")).isEqualTo("models/churn/rounds/2/updates/alpha.safetensors");
        assertThat(ObjectKeys.dataProductFile("alpha", "alpha-churn", "1.0.0", "rows.csv"))
                .isEqualTo("domains/alpha/data-products/alpha-churn/1.0.0/rows.csv");
    }

    @Test
    void anUpdateKeyParsesBackToWhatBuiltIt() {
        assertThat(UpdateKey.parse(ObjectKeys.update("churn", 2, "alpha")))
                .contains(new UpdateKey("churn", 2, "alpha"));
    }

    @Test
    void onlyKeysInARoundsUpdatesFolderAreForTheAggregationFunction() {
        assertThat(ObjectKeys.inUpdatesFolder("models/churn/rounds/2/updates/alpha.safetensors")).isTrue();
        assertThat(ObjectKeys.inUpdatesFolder("models/churn/rounds/2/updates/stray.txt")).isTrue();
        assertThat(ObjectKeys.inUpdatesFolder(ObjectKeys.globalModel("churn", 3))).isFalse();
        assertThat(ObjectKeys.inUpdatesFolder("models/churn/rounds/2/updates/")).isFalse();
        assertThat(ObjectKeys.inUpdatesFolder("models/churn/rounds/2/updates/a/b.safetensors")).isFalse();
        assertThat(ObjectKeys.inUpdatesFolder("domains/alpha/models/x/rounds/1/updates/y")).isFalse();
    }

    @Test
    void aShardedRoundsTreeObjectsAreForTheAggregationFunctionAndNoOtherScratch() {
        String tree = ObjectKeys.aggregationTree("churn", 3, "0a1b2c");
        assertThat(ObjectKeys.inAggregationTree(tree + "tasks/s0/l0-1")).isTrue();
        assertThat(ObjectKeys.inAggregationTree(tree + "s1/l1-0.safetensors")).isTrue();
        assertThat(ObjectKeys.inAggregationTree(tree)).isFalse();
        assertThat(ObjectKeys.inAggregationTree(ObjectKeys.scratchPrefix("churn", 3) + "0b7e/global.safetensors"))
                .isFalse();
        assertThat(ObjectKeys.inAggregationTree(ObjectKeys.globalModel("churn", 3))).isFalse();
        assertThat(ObjectKeys.inAggregationTree("domains/alpha/models/churn/tmp/3-tree-0a/x")).isFalse();
        assertThat(ObjectKeys.inAggregationTree("models/a/b/tmp/3-tree-0a/x")).isFalse();
    }

    @Test
    void aGlobalModelKeyGivesBackItsVersionAndNoOtherKeyDoes() {
        assertThat(ObjectKeys.globalModelVersion("churn", ObjectKeys.globalModel("churn", 12))).hasValue(12);
        assertThat(ObjectKeys.globalModelVersion("churn", ObjectKeys.globalModel("other", 12))).isEmpty();
        assertThat(ObjectKeys.globalModelVersion("churn", ObjectKeys.strategyState("churn", 12))).isEmpty();
        assertThat(ObjectKeys.globalModelVersion("churn", "models/churn/global/0.safetensors")).isEmpty();
        assertThat(ObjectKeys.globalModelVersion("churn", "models/churn/global/../1.safetensors")).isEmpty();
        assertThat(ObjectKeys.globalModelVersion("churn", null)).isEmpty();
    }

    @Test
    void psiKeysLiveUnderTheModelsVerticalFolder() {
        assertThat(ObjectKeys.psiBlindedSet("churn", "s1", "alpha", 2, "beta"))
                .isEqualTo("models/churn/vrounds/psi/s1/sets/alpha/2/beta.points")
                .startsWith(ObjectKeys.psiSession("churn", "s1"));
    }
}
