package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code --external} with the Python kit: a two-domain mesh runs without domain-2's training function; the kit, given
 * only what {@code meshfl domain-credentials domain-2} prints, plays domain-2 for one round; its update is accepted
 * and the round closes with both domains.
 */
class ExternalPythonDomainEndToEndTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");

    @TempDir
    Path temp;

    @Test
    void thePythonKitPlaysAnExternalDomainWithTheCredentialsTheMeshPrints() throws Exception {
        assumeTrue(kitDependenciesPresent(), "/usr/bin/python3 with numpy, cryptography and boto3 (.ci/run installs them)");
        Path repository = repository();
        System.setProperty("meshfl.home", repository.toString());
        Path dataDir = temp.resolve("mesh");
        StringWriter demoOut = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread demo = new Thread(() -> status.set(cli(demoOut, demoOut, "demo", "--domains", "2", "--rounds", "1",
                "--external", "domain-2", "--deadline", "240", "--sweep-period", "2", "--data-dir", dataDir.toString())),
                "demo --external");
        demo.start();
        awaitPrinted(demoOut, "domain-2 is external", demo);

        StringWriter credentials = new StringWriter();
        StringWriter credentialsErr = new StringWriter();
        assertThat(cli(credentials, credentialsErr, "domain-credentials", "domain-2", "--data-dir", dataDir.toString(),
                "--ttl", "10m")).as(credentialsErr.toString()).isZero();
        Path credentialsFile = temp.resolve("domain-2.json");
        Files.writeString(credentialsFile, credentials.toString(), StandardCharsets.UTF_8);
        ProcessBuilder python = new ProcessBuilder(PYTHON.toString(), "clients/python/examples/one_round.py",
                credentialsFile.toString()).directory(repository.toFile()).redirectErrorStream(true);
        python.environment().put("PYTHONPATH", repository.resolve("clients/python").toString());
        Process kit = python.start();
        String kitOut = new String(kit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(kit.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(kit.exitValue()).as(kitOut).isZero();
        assertThat(kitOut).contains("models/gaussian-mixture-classifier/rounds/1/updates/domain-2.safetensors")
                .as("the verdict the domain's own token reads").contains("\"status\": \"ACCEPTED\"");

        demo.join(Duration.ofMinutes(6).toMillis());
        assertThat(demo.isAlive()).as(demoOut.toString()).isFalse();
        assertThat(status).as(demoOut.toString()).hasValue(0);
        JsonNode round = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile()).get("rounds_detail").get(0);
        assertThat(round.get("outcome").asText()).as(round.toString()).isEqualTo("CLOSED");
        assertThat(round.get("accepted").toString()).contains("domain-1").contains("domain-2");
        assertThat(round.get("rejected")).isEmpty();
        assertThat(dataDir.resolve("logs/training-function-domain-2.log")).as("no training function for it").doesNotExist();
        assertThat(dataDir.resolve("running.properties")).as("removed when the mesh stops").doesNotExist();
    }

    private static int cli(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private static void awaitPrinted(StringWriter out, String text, Thread demo) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(4).toNanos();
        while (System.nanoTime() < deadline && demo.isAlive()) {
            if (out.toString().contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("never printed '" + text + "':\n" + out);
    }

    private static boolean kitDependenciesPresent() {
        try {
            Process check = new ProcessBuilder(PYTHON.toString(), "-c", "import numpy, cryptography, boto3")
                    .redirectErrorStream(true).start();
            return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0;
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("functions/registry-function/pom.xml"))) {
            here = here.getParent();
        }
        assertThat(here).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return here;
    }
}
