package io.meshfl.mesh.vertical;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The vertical demo's own options: cross-validation's are checked up front, each problem naming its option. */
class VerticalOptionsTest {

    private static VerticalOptions parse(String... args) {
        VerticalOptions options = new VerticalOptions();
        new CommandLine(options).parseArgs(args);
        return options;
    }

    @Test
    void oneHoldOutIsTheDefaultAndFoldsWithRepeatsAreRead() {
        assertThat(parse("--mode", "vertical").folds).isZero();
        VerticalOptions options = parse("--mode", "vertical", "--folds", "5", "--repeats", "3");

        assertThat(options.folds).isEqualTo(5);
        assertThat(options.repeats).isEqualTo(3);
        assertThat(options.problems()).isEmpty();
    }

    @Test
    void tooFewFoldsAndRepeatsWithoutFoldsAreRefused() {
        assertThat(parse("--mode", "vertical", "--folds", "2").problems()).singleElement().asString()
                .startsWith("--folds must be 0 (one hold-out) or between 3 and 20");
        assertThat(parse("--mode", "vertical", "--repeats", "2").problems()).containsExactly("--repeats needs --folds");
    }
}
