package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.TensorInfo;
import io.meshfl.core.strategy.FedAvg;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A PyTorch domain in the federation (issue 17's acceptance): a three-domain, two-round mesh runs without domain-2's
 * training function ({@code --external domain-2}, {@code --resubmit}); {@code clients/python/examples/torch_domain.py},
 * given only what {@code meshfl domain-credentials domain-2} prints, plays domain-2 with a {@code torch.nn} model
 * (Debian's python3-torch, CPU) and the kit. In round 1 it first uploads an update with {@code num_examples} edited
 * after signing, reads through the kit that it was REJECTED and why, and resubmits the correct one; in round 2 it
 * submits once. Both rounds close with the three domains, and each new global model is the Java FedAvg of the three
 * stored updates, weighted by their example counts.
 *
 * <p>Without torch the test is skipped locally; {@code .ci/run} installs python3-torch and sets
 * {@code MESHFL_REQUIRE_TORCH=true}, under which a missing torch fails it.
 */
class PyTorchDomainEndToEndTest {

    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String MODEL = "gaussian-mixture-classifier";
    private static final List<String> DOMAINS = List.of("domain-1", "domain-2", "domain-3");

    @TempDir
    Path temp;

    @Test
    void aPyTorchDomainTrainsTwoRoundsIsCountedInFedAvgAndResubmitsAfterItsEditedUpdateIsRejected() throws Exception {
        requireTorch();
        Path repository = repository();
        System.setProperty("meshfl.home", repository.toString());
        Path dataDir = temp.resolve("mesh");
        StringWriter demoOut = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        Thread demo = new Thread(() -> status.set(cli(demoOut, demoOut, "demo", "--domains", "3", "--rounds", "2",
                "--external", "domain-2", "--resubmit", "--deadline", "240", "--sweep-period", "2",
                "--data-dir", dataDir.toString())), "demo --external");
        demo.start();
        awaitPrinted(demoOut, "domain-2 is external", demo);

        StringWriter credentials = new StringWriter();
        StringWriter credentialsErr = new StringWriter();
        assertThat(cli(credentials, credentialsErr, "domain-credentials", "domain-2", "--data-dir", dataDir.toString(),
                "--ttl", "10m")).as(credentialsErr.toString()).isZero();
        Path credentialsFile = temp.resolve("domain-2.json");
        Files.writeString(credentialsFile, credentials.toString(), StandardCharsets.UTF_8);
        ProcessBuilder python = new ProcessBuilder(PYTHON.toString(), "clients/python/examples/torch_domain.py",
                credentialsFile.toString(), "--rounds", "2", "--edit-after-signing", "1")
                .directory(repository.toFile()).redirectErrorStream(true)
                .redirectOutput(temp.resolve("kit.log").toFile());
        python.environment().put("PYTHONPATH", repository.resolve("clients/python").toString());
        Process kit = python.start();
        // The output goes to a file, so the timeout holds even if the kit hangs; a hung kit is stopped.
        boolean exited = kit.waitFor(4, TimeUnit.MINUTES);
        if (!exited) {
            kit.destroyForcibly();
        }
        String kitOut = Files.readString(temp.resolve("kit.log"), StandardCharsets.UTF_8);
        assertThat(exited).as(kitOut).isTrue();
        assertThat(kit.exitValue()).as(kitOut).isZero();

        // The verdicts the domain read with its own token, through the kit.
        List<JsonNode> verdicts = new ArrayList<>();
        for (String line : kitOut.lines().filter(l -> l.startsWith("{")).toList()) {
            verdicts.add(new ObjectMapper().readTree(line));
        }
        assertThat(verdicts).as(kitOut).hasSize(3);
        assertThat(verdicts.get(0).get("round").asInt()).isEqualTo(1);
        assertThat(verdicts.get(0).get("step").asText()).isEqualTo("edited-after-signing");
        assertThat(verdicts.get(0).get("status").asText()).isEqualTo("REJECTED");
        assertThat(verdicts.get(0).get("reason").asText()).as("the reason the kit reads")
                .contains("signature does not verify with the public key of domain 'domain-2'")
                .contains("a signed field was edited after signing");
        assertThat(verdicts.get(1).get("round").asInt()).isEqualTo(1);
        assertThat(verdicts.get(1).get("step").asText()).isEqualTo("submitted");
        assertThat(verdicts.get(1).get("status").asText()).as("the resubmitted update").isEqualTo("ACCEPTED");
        assertThat(verdicts.get(2).get("round").asInt()).isEqualTo(2);
        assertThat(verdicts.get(2).get("status").asText()).isEqualTo("ACCEPTED");

        demo.join(Duration.ofMinutes(6).toMillis());
        assertThat(demo.isAlive()).as(demoOut.toString()).isFalse();
        assertThat(status).as(demoOut.toString()).hasValue(0);
        System.out.println(demoOut + "\n" + kitOut);
        JsonNode rounds = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile()).get("rounds_detail");
        assertThat(rounds).hasSize(2);
        for (JsonNode round : rounds) {
            assertThat(round.get("outcome").asText()).as(round.toString()).isEqualTo("CLOSED");
            assertThat(round.get("accepted").toString()).contains(DOMAINS);
        }
        assertThat(dataDir.resolve("logs/training-function-domain-2.log")).as("no training function for it").doesNotExist();
        assertThat(dataDir.resolve("running.properties")).as("removed when the mesh stops").doesNotExist();

        // Each new global model is the FedAvg of the three stored (accepted) updates, domain-2's counted by its examples.
        for (int round = 1; round <= 2; round++) {
            JsonNode resubmitted = verdicts.get(round);
            List<ModelAggregator.UpdateFile> updates = new ArrayList<>();
            for (String domain : DOMAINS) {
                Path file = stored(dataDir, "models/" + MODEL + "/rounds/" + round + "/updates/" + domain + ".safetensors");
                long examples = Long.parseLong(metadata(file).get("num_examples"));
                if (domain.equals("domain-2")) {
                    assertThat(examples).as("the examples domain-2 trained on and signed")
                            .isEqualTo(resubmitted.get("numExamples").asLong());
                }
                updates.add(new ModelAggregator.UpdateFile(domain, file, examples));
            }
            Path stored = stored(dataDir, "models/" + MODEL + "/global/" + (round + 1) + ".safetensors");
            assertThat(metadata(stored)).containsEntry("aggregated_from", String.join(",", DOMAINS))
                    .containsEntry("strategy", FedAvg.NAME);
            Path recomputed = temp.resolve("fedavg-" + round + ".safetensors");
            ModelAggregator.aggregate(new FedAvg(),
                    stored(dataDir, "models/" + MODEL + "/global/" + round + ".safetensors"), updates,
                    ServerState.empty(), recomputed, Map.of());
            assertSameTensors(recomputed, stored);
        }
    }

    private static void assertSameTensors(Path expected, Path actual) throws IOException {
        try (SafetensorsReader want = SafetensorsReader.open(expected); SafetensorsReader got = SafetensorsReader.open(actual)) {
            assertThat(got.manifest()).isEqualTo(want.manifest());
            for (TensorInfo tensor : want.header().tensors()) {
                assertThat(got.readFloats(tensor.name())).as(actual + ": " + tensor.name())
                        .containsExactly(want.readFloats(tensor.name()));
            }
        }
    }

    private static Map<String, String> metadata(Path file) throws IOException {
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.metadata();
        }
    }

    /** The object as the mesh's S3 server (a filesystem blob store under DATA_DIR/objects/{bucket}/) keeps it. */
    private static Path stored(Path dataDir, String key) throws IOException {
        try (Stream<Path> buckets = Files.list(dataDir.resolve("objects"))) {
            return buckets.map(bucket -> bucket.resolve(key)).filter(Files::isRegularFile).findFirst()
                    .orElseThrow(() -> new AssertionError(key + " is not stored under " + dataDir.resolve("objects")));
        }
    }

    /**
     * Locally a machine without PyTorch skips the test; CI ({@code MESHFL_REQUIRE_TORCH=true}, set by {@code .ci/run},
     * which installs python3-torch) fails it instead.
     */
    private static void requireTorch() {
        String missing = pythonMissing("import numpy, cryptography, boto3, torch");
        if ("true".equals(System.getenv("MESHFL_REQUIRE_TORCH"))) {
            assertThat(missing).as("MESHFL_REQUIRE_TORCH=true: /usr/bin/python3 needs numpy, cryptography, boto3 and "
                    + "torch (Debian python3-torch)").isNull();
        }
        assumeTrue(missing == null, "/usr/bin/python3 with numpy, cryptography, boto3 and torch (.ci/run installs them): "
                + missing);
    }

    /** Null if {@code code} runs under /usr/bin/python3, else what went wrong. */
    private static String pythonMissing(String code) {
        try {
            Process check = new ProcessBuilder(PYTHON.toString(), "-c", code).redirectErrorStream(true).start();
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0 ? null : out.strip();
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
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

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("functions/registry-function/pom.xml"))) {
            here = here.getParent();
        }
        assertThat(here).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return here;
    }
}
