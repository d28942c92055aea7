package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.meshfl.mesh.report.Verdict;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoOptionsTest {

    private static DemoOptions parse(String... args) {
        DemoOptions options = new DemoOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void theDefaultsAreTheReadmesDemo() {
        DemoOptions options = parse();

        assertThat(options.domains()).isEqualTo(4);
        assertThat(options.rounds()).isEqualTo(10);
        assertThat(options.strategy()).isEqualTo("fedavg");
        assertThat(options.alpha()).isEqualTo(0.5);
        assertThat(options.dataDir()).isEqualTo(Path.of(".meshfl").toAbsolutePath().normalize());
        assertThat(options.dataset()).isEmpty();
        assertThat(options.poison()).isEmpty();
        assertThat(options.fresh()).isFalse();
        assertThat(options.serve()).isFalse();
        assertThat(options.seed()).isEqualTo(42);
        assertThat(options.domainNames()).containsExactly("domain-1", "domain-2", "domain-3", "domain-4");
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void everyOptionIsRead() {
        DemoOptions options = parse("--domains", "3", "--rounds", "2", "--strategy", "median", "--dataset", "x.csv",
                "--label", "y", "--alpha", "0.1", "--data-dir", "/tmp/m", "--fresh", "--serve", "--poison", "domain-2",
                "--seed", "7");

        assertThat(options.domains()).isEqualTo(3);
        assertThat(options.rounds()).isEqualTo(2);
        assertThat(options.strategy()).isEqualTo("median");
        assertThat(options.dataset()).contains(Path.of("x.csv"));
        assertThat(options.label()).isEqualTo("y");
        assertThat(options.alpha()).isEqualTo(0.1);
        assertThat(options.dataDir()).isEqualTo(Path.of("/tmp/m"));
        assertThat(options.fresh()).isTrue();
        assertThat(options.serve()).isTrue();
        assertThat(options.poison()).contains("domain-2");
        assertThat(options.seed()).isEqualTo(7);
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void dpFedAvgIsRefusedUpFrontBecauseDifferentialPrivacyIsAPolicy() {
        assertThat(parse("--strategy", "dp-fedavg").problems()).singleElement().asString()
                .startsWith("--strategy dp-fedavg needs a privacy policy");
    }

    @Test
    void requireNamesAcceptanceChecksAndRefusesOthers() {
        assertThat(parse("--require", "above-local").requiredChecks()).containsExactly(Verdict.Check.ABOVE_LOCAL);
        assertThat(parse("--require", "all").requiredChecks()).containsExactly(Verdict.Check.values());
        assertThat(parse().requiredChecks()).isEmpty();
        assertThat(parse("--require", "above-local,fast").problems()).singleElement().asString()
                .startsWith("--require fast is not a check");
    }

    @Test
    void anUnknownStrategyIsRefusedWithTheNamesThatExist() {
        // FedProx is the training side's proximal term (the model policy's mu), not an aggregation strategy.
        DemoOptions options = parse("--strategy", "fedprox");

        assertThat(options.problems()).singleElement().asString().startsWith("--strategy must be one of [")
                .contains("fedavg", "median", "krum").endsWith("was 'fedprox'");
    }

    @Test
    void badValuesAreEachNamedByTheirOption() {
        DemoOptions options = parse("--domains", "1", "--rounds", "0", "--alpha", "-1", "--strategy", "Fed Avg",
                "--dataset", "x.csv", "--poison", "domain-9");

        assertThat(options.problems()).hasSize(6).anySatisfy(p -> assertThat(p).startsWith("--domains"))
                .anySatisfy(p -> assertThat(p).startsWith("--rounds"))
                .anySatisfy(p -> assertThat(p).startsWith("--alpha"))
                .anySatisfy(p -> assertThat(p).startsWith("--strategy"))
                .anySatisfy(p -> assertThat(p).startsWith("--dataset needs --label"))
                .anySatisfy(p -> assertThat(p).startsWith("--poison domain-9"));
    }

    @Test
    void aLabelWithoutADatasetIsAProblem() {
        assertThat(parse("--label", "y").problems()).containsExactly("--label is only meaningful with --dataset");
    }
}
