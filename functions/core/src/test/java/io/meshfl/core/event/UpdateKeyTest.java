package io.meshfl.core.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UpdateKeyTest {

    @Test
    void updateKeyParsesToModelRoundAndDomain() {
        assertThat(UpdateKey.parse("models/credit-risk/rounds/12/updates/retail.eu.safetensors"))
                .contains(new UpdateKey("credit-risk", 12, "retail.eu"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "models/m/global/2.safetensors",                 // the aggregator's own output
            "models/m/state/2.safetensors",
            "models/m/tmp/2-abc.safetensors",
            "models/m/rounds/1/updates/d.safetensors.tmp",
            "models/m/rounds/0/updates/d.safetensors",       // rounds start at 1
            "models/m/rounds/01/updates/d.safetensors",
            "models/m/rounds/1/updates/../d.safetensors",
            "models/m/rounds/1/../1/updates/d.safetensors",
            "models/m/rounds/1/updates/%2e%2e/d.safetensors",
            "models/m/rounds/1/updates/d\u0000.safetensors",
            "models//m/rounds/1/updates/d.safetensors",
            "models/m/rounds/1/updates/.safetensors",
            "models/m/rounds/1/updates/a/b.safetensors",
            "/models/m/rounds/1/updates/d.safetensors",
            "domains/d/data/part-0.parquet",
            ""})
    void otherKeysAreNotUpdates(String key) {
        assertThat(UpdateKey.parse(key)).isEmpty();
    }

    @Test
    void nullIsNotAnUpdate() {
        assertThat(UpdateKey.parse(null)).isEmpty();
    }

    @Test
    void constructingWithAnInvalidIdNamesIt() {
        assertThatThrownBy(() -> new UpdateKey("m", 1, "a/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("domain id 'a/b'");
    }

    @Property
    void keyAndParseAreInverse(@ForAll("ids") String model, @ForAll @IntRange(min = 1, max = 999_999_999) int round,
            @ForAll("ids") String domain) {
        UpdateKey update = new UpdateKey(model, round, domain);

        assertThat(UpdateKey.parse(update.key())).contains(update);
    }

    @Provide
    Arbitrary<String> ids() {
        Arbitrary<String> first = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').ofLength(1);
        Arbitrary<String> rest = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .withCharRange('0', '9').withChars('.', '_', '-').ofMaxLength(62);
        return first.flatMap(f -> rest.map(r -> f + r));
    }
}
