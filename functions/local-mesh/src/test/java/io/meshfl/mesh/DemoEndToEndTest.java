package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code meshfl demo} end to end, as a user runs it: embedded PostgreSQL and S3Proxy, the packaged registry,
 * aggregation and training functions as child JVMs, the event bridge, three domains, three rounds, the dashboard of
 * {@code --serve}. Then a second run without {@code --fresh} resumes the stored federation instead of failing.
 */
class DemoEndToEndTest {

    @TempDir
    Path temp;

    private Path dataDir;

    @BeforeEach
    void newDataDir() {
        // --fresh wipes only what looks like a MeshFL data directory: start from one that does not exist yet.
        dataDir = temp.resolve("mesh");
    }

    private int demo(StringWriter out, String... extra) {
        String home = repository().toString();
        System.setProperty("meshfl.home", home);
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        String[] base = {"demo", "--domains", "3", "--rounds", "3", "--data-dir",
                dataDir.toString()};
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return cli.execute(args);
    }

    private static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        while (here != null && !Files.exists(here.resolve("functions/registry-function/pom.xml"))) {
            here = here.getParent();
        }
        assertThat(here).as("the repository root above " + Path.of("").toAbsolutePath()).isNotNull();
        return here;
    }

    @Test
    void demoRunsEveryRoundThroughTheFunctionsServesTheDashboardWritesTheSummaryThenResumes() throws Exception {
        StringWriter first = new StringWriter();
        AtomicInteger status = new AtomicInteger(-1);
        // --serve keeps the finished mesh up: one run shows the rounds, the dashboard and a clean stop (each demo
        // run costs the mesh's start-up, so the suite runs as few as it can).
        Thread demo = new Thread(() -> status.set(demo(first, "--fresh", "--serve")), "demo --serve");
        demo.start();
        URI login = awaitDashboardLink(first, demo);

        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<String> overview = browser.send(HttpRequest.newBuilder(login).build(), BodyHandlers.ofString());
        assertThat(overview.statusCode()).as(overview.body()).isEqualTo(200);
        assertThat(overview.body()).contains("gaussian-mixture-classifier");
        demo.interrupt(); // what Ctrl-C does to the serving thread
        demo.join(Duration.ofMinutes(1).toMillis());
        assertThat(demo.isAlive()).as("the demo stops when interrupted").isFalse();
        assertThat(status).as(first.toString()).hasValue(0);
        assertThatThrownBy(() -> browser.send(HttpRequest.newBuilder(login).build(), BodyHandlers.ofString()))
                .as("the registry is stopped with the mesh").isInstanceOf(IOException.class);

        JsonNode summary = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile());
        assertThat(summary.get("strategy").asText()).isEqualTo("fedavg");
        assertThat(summary.get("domains").asInt()).isEqualTo(3);
        assertThat(summary.get("rounds_detail")).hasSize(3);
        for (JsonNode round : summary.get("rounds_detail")) {
            assertThat(round.get("outcome").asText()).as("round %s", round.get("round")).isEqualTo("CLOSED");
            assertThat(round.get("accepted")).as("round %s", round.get("round")).hasSize(3);
            assertThat(round.get("missing")).isEmpty();
            assertThat(round.get("rejected")).isEmpty();
        }
        assertThat(summary.at("/contributions/domain-2")).hasSize(3);
        assertThat(summary.get("local")).hasSize(3);
        double federated = summary.at("/federated/accuracy").asDouble();
        double centralized = summary.at("/centralized/accuracy").asDouble();
        // Six classes: chance is 1/6. Three rounds of FedAvg on the label-skewed split must do far better.
        assertThat(federated).isGreaterThan(0.6);
        assertThat(centralized).isGreaterThan(0.6);
        assertThat(Files.readString(dataDir.resolve("report.html"))).contains("<svg");
        // The registry's round events left it through its outbox and the CloudEvents-over-HTTP connector.
        List<String> eventTypes = Files.readAllLines(dataDir.resolve("logs/round-events.jsonl")).stream()
                .map(line -> readJson(line).get("type").asText()).toList();
        assertThat(eventTypes).filteredOn("meshfl.round.closed"::equals).hasSize(3);
        assertThat(eventTypes).filteredOn("meshfl.update.accepted"::equals).hasSize(9);
        assertThat(eventTypes).filteredOn("meshfl.round.opened"::equals).hasSize(4);

        // The verdict is data, computed from the accuracies beside it (in points, as printed).
        JsonNode verdict = summary.get("verdict");
        double bestLocal = 0;
        for (JsonNode local : summary.get("local")) {
            bestLocal = Math.max(bestLocal, local.get("accuracy").asDouble());
        }
        boolean within = Math.round((centralized - federated) * 1000) / 10.0 <= 2.0;
        boolean above = Math.round((federated - bestLocal) * 1000) / 10.0 > 0;
        assertThat(verdict.get("withinOfCentralised").asBoolean()).isEqualTo(within);
        assertThat(verdict.get("aboveEveryLocal").asBoolean()).isEqualTo(above);
        assertThat(verdict.get("passed").asBoolean()).isEqualTo(within && above);

        // Resuming changes nothing; --require all turns the verdict into the exit status.
        StringWriter second = new StringWriter();
        assertThat(demo(second, "--require", "all")).as(second.toString()).isEqualTo(within && above ? 0 : 3);
        JsonNode resumed = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile());
        assertThat(resumed.at("/federated/accuracy").asDouble()).isEqualTo(federated);
    }

    @Test
    void underAttackMedianKeepsTheModelUsefulWhereFedAvgCollapses() throws Exception {
        StringWriter out = new StringWriter();

        int status = demo(out, "--fresh", "--strategy", "median", "--poison", "domain-3");

        assertThat(status).as(out.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile());
        // The attacker's updates are authentic (signed with its own key, right shapes): they are accepted, and
        // only the strategy stands between them and the model.
        for (JsonNode round : summary.get("rounds_detail")) {
            assertThat(round.get("accepted")).as("round %s", round.get("round")).hasSize(3);
        }
        assertThat(summary.at("/poisoned/domain").asText()).isEqualTo("domain-3");
        assertThat(summary.at("/poisoned/replay/strategy").asText()).isEqualTo("fedavg");
        double median = summary.at("/federated/accuracy").asDouble();
        double fedAvg = summary.at("/poisoned/replay/accuracy").asDouble();
        assertThat(median).as("median under attack").isGreaterThan(0.5);
        assertThat(fedAvg).as("FedAvg under the same attack").isLessThan(median - 0.25);
        assertThat(out.toString()).contains("replay with fedavg, same attack");
    }

    private static JsonNode readJson(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }

    private static URI awaitDashboardLink(StringWriter out, Thread demo) throws InterruptedException {
        Pattern link = Pattern.compile("dashboard\\s+(http://\\S+)");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline && demo.isAlive()) {
            Matcher found = link.matcher(out.toString());
            if (found.find()) {
                return URI.create(found.group(1));
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no dashboard link printed:\n" + out);
    }
}
