package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StrategyFactoryTest {

    @Test
    void everyRegisteredNameBuildsTheStrategyOfThatName() {
        assertThat(StrategyFactory.names()).containsExactly("fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad",
                "median", "trimmed-mean", "krum", "multi-krum", "dp-fedavg");
        for (String name : StrategyFactory.names()) {
            Map<String, Number> params = name.equals("dp-fedavg") ? Map.of("clipNorm", 1.0, "noiseMultiplier", 1.1) : Map.of();
            assertThat(StrategyFactory.create(name, params).name()).isEqualTo(name);
        }
    }

    @Test
    void acceptsParametersWithinTheirRanges() {
        assertThat(StrategyFactory.create("fedadam", Map.of("serverLearningRate", 0.01, "beta1", 0.8, "beta2", 0.999, "tau", 1e-4)))
                .isInstanceOf(FedAdam.class);
        assertThat(StrategyFactory.create("multi-krum", Map.of("byzantine", 2, "keep", 3))).isInstanceOf(Krum.class);
        assertThat(StrategyFactory.create("trimmed-mean", null)).isInstanceOf(FedTrimmedAvg.class);
    }

    @Test
    void unknownStrategyNamesTheKnownOnes() {
        assertThatThrownBy(() -> StrategyFactory.create("fedsgd", Map.of()))
                .isInstanceOfSatisfying(InvalidStrategyException.class, e -> assertThat(e.field()).isEqualTo("strategy.name"))
                .hasMessageContaining("unknown strategy 'fedsgd'; known: fedavg, fedavgm");
    }

    @Test
    void badOrUnknownParametersAreNamed() {
        assertThatThrownBy(() -> StrategyFactory.create("trimmed-mean", Map.of("beta", 0.5)))
                .isInstanceOfSatisfying(InvalidStrategyException.class, e -> assertThat(e.field()).isEqualTo("strategy.params.beta"))
                .hasMessage("parameter 'beta' of strategy 'trimmed-mean' must be in [0, 0.5), was 0.5");
        assertThatThrownBy(() -> StrategyFactory.create("fedadam", Map.of("lr", 0.1)))
                .hasMessage("parameter 'lr' of strategy 'fedadam' is unknown"
                        + " (it takes beta1, beta2, serverLearningRate, tau)");
        assertThatThrownBy(() -> StrategyFactory.create("fedavg", Map.of("momentum", 0.9)))
                .hasMessageContaining("(it takes none)");
        assertThatThrownBy(() -> StrategyFactory.create("krum", Map.of("byzantine", 1.5)))
                .hasMessageContaining("parameter 'byzantine' of strategy 'krum' must be an integer ≥ 0, was 1.5");
        assertThatThrownBy(() -> StrategyFactory.create("dp-fedavg", Map.of("noiseMultiplier", 1.0)))
                .isInstanceOfSatisfying(InvalidStrategyException.class, e -> assertThat(e.field()).isEqualTo("strategy.params.clipNorm"))
                .hasMessageContaining("parameter 'clipNorm' of strategy 'dp-fedavg' is required");
        assertThatThrownBy(() -> StrategyFactory.create("fedadam", Map.of("tau", Double.NaN)))
                .hasMessageContaining("'tau' of strategy 'fedadam' must be a positive number, was NaN");
    }
}
