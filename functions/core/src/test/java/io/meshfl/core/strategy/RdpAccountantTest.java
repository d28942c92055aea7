package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The accountant against privacy/rdp_reference.py, which integrates the sampled Gaussian mechanism's Rényi
 * divergence numerically instead of using the binomial expansion (regenerate the JSON with that script).
 */
class RdpAccountantTest {

    @Test
    void agreesWithTheIndependentNumericalReferenceToOneThousandthOnEpsilon() throws IOException {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/privacy/rdp_reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        List<Integer> orders = new ArrayList<>();
        reference.get("orders").forEach(o -> orders.add(o.asInt()));
        assertThat(orders).containsExactlyElementsOf(java.util.Arrays.stream(RdpAccountant.ORDERS).boxed().toList());
        assertThat(reference.get("cases")).hasSize(128);

        for (JsonNode c : reference.get("cases")) {
            RdpAccountant.Spent spent = RdpAccountant.epsilon(c.get("q").asDouble(), c.get("sigma").asDouble(),
                    c.get("steps").asLong(), c.get("delta").asDouble());
            double expected = c.get("epsilon").asDouble();
            assertThat(spent.epsilon()).as("case %s", c).isCloseTo(expected, within(expected * 1e-3));
        }
    }

    @Test
    void fullParticipationReducesToTheGaussianMechanism() {
        // q = 1: RDP(α) = α/(2σ²); with σ = 2, T = 1, δ = 1e-5 the best integer order balances α/8 and 11.5129/(α − 1)
        double expected = Double.POSITIVE_INFINITY;
        for (int order : RdpAccountant.ORDERS) {
            expected = Math.min(expected, order / 8.0 + Math.log(1e5) / (order - 1));
        }
        assertThat(RdpAccountant.epsilon(1.0, 2.0, 1, 1e-5).epsilon()).isCloseTo(expected, within(1e-12));
    }

    @Test
    void privacySpentGrowsWithStepsAndShrinksWithNoise() {
        double few = RdpAccountant.epsilon(0.1, 1.0, 10, 1e-5).epsilon();
        double many = RdpAccountant.epsilon(0.1, 1.0, 100, 1e-5).epsilon();
        double noisier = RdpAccountant.epsilon(0.1, 2.0, 100, 1e-5).epsilon();

        assertThat(many).isGreaterThan(few);
        assertThat(noisier).isLessThan(many);
        assertThat(RdpAccountant.epsilon(0.1, 0.0, 1, 1e-5).epsilon()).isInfinite();
        assertThat(RdpAccountant.epsilon(0.1, 1.0, 0, 1e-5).epsilon()).isZero();
    }
}
