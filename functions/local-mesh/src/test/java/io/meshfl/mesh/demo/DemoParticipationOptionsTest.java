package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --min-domains}, {@code --deadline}, {@code --sweep-period}, {@code --straggler}, {@code --fail}, {@code --aggregation}. */
class DemoParticipationOptionsTest {

    private static DemoOptions parse(String... args) {
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void withoutTheFlagsEveryDomainIsTheQuorumAndNobodyStragglesOrFails() {
        DemoOptions options = parse("--domains", "3");

        assertThat(options.minDomains()).isEqualTo(3);
        assertThat(options.deadlineSeconds()).isEqualTo(600);
        assertThat(options.sweepPeriod()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.stragglers()).isEmpty();
        assertThat(options.failures()).isEmpty();
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void theAcceptanceRunsFlagsAreRead() {
        DemoOptions options = parse("--domains", "4", "--rounds", "4", "--min-domains", "3", "--deadline", "20",
                "--sweep-period", "2", "--fail", "domain-2:2", "--straggler", "domain-1:10", "--straggler", "domain-3:1.5",
                "--aggregation", "sync");

        assertThat(options.minDomains()).isEqualTo(3);
        assertThat(options.deadlineSeconds()).isEqualTo(20);
        assertThat(options.sweepPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.failures()).containsExactly(new DomainFailure("domain-2", 2));
        assertThat(options.stragglers()).containsExactly(new Straggler("domain-1", 10), new Straggler("domain-3", 1.5));
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void theQuorumMayBeOneDomainOrEveryDomainButNotMoreOrNone() {
        assertThat(parse("--domains", "4", "--min-domains", "1").problems()).isEmpty();
        assertThat(parse("--domains", "4", "--min-domains", "4").problems()).isEmpty();
        assertThat(parse("--domains", "4", "--min-domains", "5").problems())
                .containsExactly("--min-domains must be between 1 and --domains (4), was 5");
        assertThat(parse("--domains", "4", "--min-domains", "0").problems())
                .containsExactly("--min-domains must be between 1 and --domains (4), was 0");
    }

    @Test
    void theDeadlineAndTheSweepPeriodAreAtLeastOneSecond() {
        assertThat(parse("--deadline", "1", "--sweep-period", "1").problems()).isEmpty();
        assertThat(parse("--deadline", "0", "--sweep-period", "-3").problems()).containsExactly(
                "--deadline must be at least 1 second, was 0", "--sweep-period must be at least 1 second, was -3");
    }

    @Test
    void asyncAggregationTakesABufferOfOneToEveryDomainAndDefaultsToOneLessThanTheDomains() {
        DemoOptions async = parse("--aggregation", "async");
        assertThat(async.problems()).isEmpty();
        assertThat(async.async()).isTrue();
        assertThat(async.bufferSize()).isEqualTo(3);
        assertThat(parse("--aggregation", "async", "--buffer-size", "4").problems()).isEmpty();
        assertThat(parse("--aggregation", "async", "--buffer-size", "0").problems()).containsExactly(
                "--buffer-size must be between 1 and the 4 domains (one update per domain per buffer), was 0");
        assertThat(parse("--buffer-size", "2").problems())
                .containsExactly("--buffer-size applies to --aggregation async or compare only");
        assertThat(parse("--aggregation", "fedbuff").problems())
                .containsExactly("--aggregation must be sync, async or compare, was 'fedbuff'");
        DemoOptions compare = parse("--aggregation", "compare", "--buffer-size", "2");
        assertThat(compare.problems()).isEmpty();
        assertThat(compare.compare()).isTrue();
        assertThat(compare.async()).as("compare runs a sync and an async model, one after the other").isFalse();
        assertThat(compare.bufferSize()).isEqualTo(2);
        assertThat(parse("--aggregation", "compare", "--external", "domain-2").problems()).containsExactly(
                "--aggregation compare runs three models one after the other; it takes no --external domain");
        assertThat(parse("--target-accuracy", "1.5").problems())
                .containsExactly("--target-accuracy must be in (0, 1], was 1.5");
    }

    @Test
    void anUnknownOrRepeatedDomainIsNamed() {
        assertThat(parse("--straggler", "domain-9:2", "--fail", "domain-0:1").problems()).containsExactly(
                "--straggler domain-9 is not one of the domains [domain-1, domain-2, domain-3, domain-4]",
                "--fail domain-0 is not one of the domains [domain-1, domain-2, domain-3, domain-4]");
        assertThat(parse("--straggler", "domain-1:2", "--straggler", "domain-1:3").problems())
                .containsExactly("--straggler names domain-1 twice");
        // Straggling until it fails is a story of its own: both flags on one domain are fine.
        assertThat(parse("--straggler", "domain-1:2", "--fail", "domain-1:3").problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"domain-1", "domain-1:", ":3", "domain-1:fast", "domain-1:0.5", "domain-1:0", "domain-1:-2",
        "domain-1:NaN", "domain-1:Infinity"})
    void aMalformedStragglerIsAUsageError(String value) {
        assertThatThrownBy(() -> parse("--straggler", value)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--straggler").hasMessageContaining(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"domain-2", "domain-2:", ":2", "domain-2:two", "domain-2:1.5", "domain-2:0", "domain-2:-1"})
    void aMalformedFailureIsAUsageError(String value) {
        assertThatThrownBy(() -> parse("--fail", value)).isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--fail").hasMessageContaining(value);
    }

    @Test
    void theMessagesSayWhatIsWrong() {
        assertThatThrownBy(() -> Straggler.parse("domain-1:0.5")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> Straggler.parse("domain-1")).hasMessageContaining("DOMAIN:FACTOR");
        assertThatThrownBy(() -> DomainFailure.parse("domain-2:0")).hasMessageContaining("numbered from 1");
        assertThatThrownBy(() -> DomainFailure.parse("domain-2:x")).hasMessageContaining("not a whole number");
    }
}
