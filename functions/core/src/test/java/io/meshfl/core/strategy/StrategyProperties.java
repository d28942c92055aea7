package io.meshfl.core.strategy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

class StrategyProperties {

    /** K updates of P values (P may exceed one block, so block boundaries are crossed) with example counts. */
    record Round(List<float[]> updates, long[] examples, int size) {
        RoundInput input() {
            return Rounds.round(new float[size], updates, examples);
        }

        RoundInput permuted(long seed) {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < updates.size(); i++) {
                order.add(i);
            }
            Collections.shuffle(order, new Random(seed));
            List<float[]> shuffled = order.stream().map(updates::get).toList();
            long[] counts = order.stream().mapToLong(i -> examples[i]).toArray();
            return Rounds.round(new float[size], shuffled, counts);
        }
    }

    @Provide
    Arbitrary<Round> rounds() {
        Arbitrary<Integer> sizes = Arbitraries.oneOf(Arbitraries.integers().between(1, 40),
                // across a coordinate block, a streaming block, and a stripe of streaming blocks on several cores
                Arbitraries.of(Blocks.SIZE - 1, Blocks.SIZE + 3, Blocks.STREAMING + 3, 2 * Blocks.STREAMING + 5));
        Arbitrary<Integer> counts = Arbitraries.integers().between(1, 12);
        return Combinators.combine(sizes, counts, Arbitraries.longs()).as((size, count, seed) -> {
            Random random = new Random(seed);
            List<float[]> updates = new ArrayList<>();
            long[] examples = new long[count];
            for (int k = 0; k < count; k++) {
                float[] values = new float[size];
                double scale = Math.pow(10, random.nextInt(9) - 4);
                for (int i = 0; i < size; i++) {
                    values[i] = (float) (random.nextGaussian() * scale);
                }
                updates.add(values);
                examples[k] = 1 + random.nextInt(random.nextBoolean() ? 10 : 1_000_000);
            }
            return new Round(updates, examples, size);
        });
    }

    @Property(tries = 150)
    void fedAvgEqualsTheNaiveDoublePrecisionWeightedMean(@ForAll("rounds") Round round) throws IOException {
        float[] result = Rounds.run(new FedAvg(), round.input(), ServerState.empty()).model();

        double total = 0;
        for (long count : round.examples()) {
            total += count;
        }
        for (int i = 0; i < round.size(); i++) {
            double weighted = 0;
            double magnitude = 0;
            for (int k = 0; k < round.updates().size(); k++) {
                weighted += round.examples()[k] * (double) round.updates().get(k)[i];
                magnitude += round.examples()[k] * Math.abs((double) round.updates().get(k)[i]);
            }
            double reference = weighted / total;
            // relative to the result, plus a term relative to the summands for results that cancel to ~0
            assertThat(Math.abs(result[i] - reference))
                    .isLessThanOrEqualTo(1e-6 * Math.abs(reference) + 1e-12 * magnitude / total);
        }
    }

    @Property(tries = 100)
    void everyStrategyIsInvariantToTheOrderOfUpdates(@ForAll("rounds") Round round, @ForAll long seed,
                                                      @ForAll @IntRange(min = 0, max = 3) int which) throws IOException {
        Strategy strategy = List.of(new FedAvg(), new FedMedian(), new FedTrimmedAvg(0.2),
                new FedAdam(0.1, 0.9, 0.99, 1e-3)).get(which);

        float[] original = Rounds.run(strategy, round.input(), ServerState.empty()).model();
        float[] permuted = Rounds.run(strategy, round.permuted(seed), ServerState.empty()).model();

        for (int i = 0; i < original.length; i++) {
            assertThat((double) permuted[i]).isCloseTo(original[i], org.assertj.core.api.Assertions.within(
                    1e-6 * Math.abs(original[i]) + 1e-30));
        }
    }

    @Property(tries = 150)
    void medianAndTrimmedMeanLieWithinTheInputsOfEachCoordinate(@ForAll("rounds") Round round,
                                                               @ForAll @DoubleRange(min = 0, max = 0.49) double beta)
            throws IOException {
        float[] median = Rounds.run(new FedMedian(), round.input(), ServerState.empty()).model();
        float[] trimmed = Rounds.run(new FedTrimmedAvg(beta), round.input(), ServerState.empty()).model();

        int count = round.updates().size();
        int cut = (int) (beta * count);
        for (int i = 0; i < round.size(); i++) {
            float[] column = new float[count];
            for (int k = 0; k < count; k++) {
                column[k] = round.updates().get(k)[i];
            }
            java.util.Arrays.sort(column);
            assertThat(median[i]).isBetween(column[0], column[count - 1]);
            double middle = count % 2 == 1 ? column[count / 2] : ((double) column[count / 2 - 1] + column[count / 2]) / 2;
            assertThat(median[i]).isEqualTo((float) middle);
            // the trimmed mean lies within the values it kept
            assertThat(trimmed[i]).isBetween(column[cut], column[count - 1 - cut]);
        }
    }

    @Property(tries = 100)
    void krumNeverSelectsAnOutlierFarFromTheHonestUpdates(@ForAll @IntRange(min = 3, max = 14) int count,
                                                         @ForAll @IntRange(min = 1, max = 200) int size,
                                                         @ForAll long seed, @ForAll boolean multi) throws IOException {
        // Prepare: f < (K − 2)/2 outliers placed 100σ away (in a random direction) from honest updates N(μ, σ²)
        int byzantine = (count - 3) / 2;
        Random random = new Random(seed);
        double sigma = 0.1;
        float[] centre = new float[size];
        for (int i = 0; i < size; i++) {
            centre[i] = (float) random.nextGaussian();
        }
        List<float[]> updates = new ArrayList<>();
        List<Boolean> outlier = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            boolean bad = k < byzantine;
            float[] values = new float[size];
            for (int i = 0; i < size; i++) {
                values[i] = (float) (centre[i] + sigma * random.nextGaussian());
            }
            if (bad) {
                values[random.nextInt(size)] += (float) (100 * sigma * (random.nextBoolean() ? 1 : -1) * Math.sqrt(size));
            }
            updates.add(values);
            outlier.add(bad);
        }
        Collections.shuffle(updates, new Random(seed)); // same shuffle for both lists
        Collections.shuffle(outlier, new Random(seed));
        long[] examples = new long[count];
        java.util.Arrays.fill(examples, 10);

        // Execute
        Strategy strategy = multi ? Krum.multiKrum(byzantine, 0) : Krum.krum(byzantine);
        Rounds.Output output = Rounds.run(strategy, Rounds.round(centre, updates, examples), ServerState.empty());

        // Assert
        for (String id : output.outcome().report().get("selected").split(",")) {
            assertThat(outlier.get(Integer.parseInt(id.substring(1)))).as("selected %s", id).isFalse();
        }
    }
}
