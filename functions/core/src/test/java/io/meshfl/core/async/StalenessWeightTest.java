package io.meshfl.core.async;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.meshfl.core.strategy.InvalidStrategyException;
import org.junit.jupiter.api.Test;

/** The FedBuff staleness functions on values checked with a pencil. */
class StalenessWeightTest {

    @Test
    void constantCountsEveryUpdateFully() {
        StalenessWeight constant = StalenessWeight.of("policy.staleness", "constant", null, null);

        assertThat(constant.weight(0)).isEqualTo(1.0);
        assertThat(constant.weight(7)).isEqualTo(1.0);
    }

    @Test
    void polynomialIsOnePlusStalenessToTheMinusA() {
        StalenessWeight half = StalenessWeight.of("policy.staleness", "polynomial", 0.5, null);
        StalenessWeight one = StalenessWeight.of("policy.staleness", "polynomial", 1.0, null);

        // (1+0)^-0.5 = 1, (1+3)^-0.5 = 1/2, (1+8)^-0.5 = 1/3; (1+1)^-1 = 1/2, (1+4)^-1 = 1/5
        assertThat(half.weight(0)).isEqualTo(1.0);
        assertThat(half.weight(3)).isCloseTo(0.5, within(1e-15));
        assertThat(half.weight(8)).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(one.weight(1)).isCloseTo(0.5, within(1e-15));
        assertThat(one.weight(4)).isCloseTo(0.2, within(1e-15));
    }

    @Test
    void hingeKeepsFullWeightUpToBThenDecaysAsOneOverAtimesExcessPlusOne() {
        StalenessWeight hinge = StalenessWeight.of("policy.staleness", "hinge", 2.0, 3.0);

        // s ≤ 3 → 1; s = 4 → 1/(2·1+1) = 1/3; s = 6 → 1/(2·3+1) = 1/7
        assertThat(hinge.weight(0)).isEqualTo(1.0);
        assertThat(hinge.weight(3)).isEqualTo(1.0);
        assertThat(hinge.weight(4)).isCloseTo(1.0 / 3, within(1e-15));
        assertThat(hinge.weight(6)).isCloseTo(1.0 / 7, within(1e-15));
    }

    @Test
    void absentSettingsTakeTheDocumentedDefaults() {
        assertThat(StalenessWeight.of("p", null, null, null)).isEqualTo(new StalenessWeight("polynomial", 0.5, 0));
        assertThat(StalenessWeight.of("p", "hinge", null, null)).isEqualTo(new StalenessWeight("hinge", 10, 4));
        assertThat(StalenessWeight.defaults()).isEqualTo(new StalenessWeight("polynomial", 0.5, 0));
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> StalenessWeight.of("policy.staleness", "exponential", null, null))
                .isInstanceOf(InvalidStrategyException.class)
                .hasMessageContaining("[constant, polynomial, hinge]")
                .extracting(e -> ((InvalidStrategyException) e).field()).isEqualTo("policy.staleness.function");
        assertThatThrownBy(() -> StalenessWeight.of("policy.staleness", "polynomial", -1.0, null))
                .extracting(e -> ((InvalidStrategyException) e).field()).isEqualTo("policy.staleness.a");
        assertThatThrownBy(() -> StalenessWeight.of("policy.staleness", "hinge", 1.0, -2.0))
                .extracting(e -> ((InvalidStrategyException) e).field()).isEqualTo("policy.staleness.b");
        assertThatThrownBy(() -> StalenessWeight.of("policy.staleness", "constant", 1.0, null))
                .extracting(e -> ((InvalidStrategyException) e).field()).isEqualTo("policy.staleness.a");
        assertThatThrownBy(() -> StalenessWeight.defaults().weight(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
