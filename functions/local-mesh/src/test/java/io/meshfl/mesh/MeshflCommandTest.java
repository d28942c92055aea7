package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MeshflCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void helpListsTheSubcommandsAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("demo");
    }

    @Test
    void unknownSubcommandFailsWithUsage() {
        assertThat(run("frobnicate")).isNotZero();
        assertThat(err.toString()).contains("frobnicate");
    }

    @Test
    void aBadDemoFlagExitsWithStatusTwoAndNamesTheFlag() {
        assertThat(run("demo", "--straggler", "domain-1:0.5")).isEqualTo(2);
        assertThat(err.toString()).contains("--straggler").contains("at least 1");
    }

    @Test
    void anUnknownDomainOrABufferSizeWithoutAsyncExitsWithStatusTwoBeforeAnythingStarts() {
        assertThat(run("demo", "--fail", "domain-7:2")).isEqualTo(2);
        assertThat(run("demo", "--buffer-size", "2")).isEqualTo(2);
        assertThat(run("demo", "--aggregation", "async", "--buffer-size", "9")).isEqualTo(2);
        assertThat(err.toString()).contains("--fail domain-7 is not one of the domains")
                .contains("--buffer-size applies to --aggregation async or compare only")
                .contains("--buffer-size must be between 1 and the 4 domains").doesNotContain("Starting the mesh");
        assertThat(out.toString()).doesNotContain("Starting the mesh");
    }
}
