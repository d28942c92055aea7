package io.meshfl.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.training.engine.TorchEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ./meshfl demo --mode vertical} on a small generated dataset: the private set intersection and both split
 * trainings run through the local S3 server's events, and summary.json has exactly the issue's shape.
 */
class VerticalDemoTest {

    @BeforeAll
    static void engine() {
        // libtorch unpacked once under target/, not under the demo's data directory.
        TorchEngine.start(Path.of(System.getProperty("meshfl.test.work-dir", "target/test-work")), OptionalInt.of(1));
    }

    @Test
    void aSmallVerticalDemoTrainsThroughTheStoreAndWritesTheIssuesSummary(@TempDir Path dataDir) throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));

        // One round of one window (batch 256 > the training entities) per split model keeps this fast; several rounds
        // and windows through the store are StepProtocolTest's.
        int status = cli.execute("demo", "--mode", "vertical", "--entities", "300", "--domains", "2", "--rounds", "1",
                "--batch-size", "256", "--data-dir", dataDir.toString());

        assertThat(status).as(out.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile());
        assertThat(fieldNames(summary)).containsExactly("mode", "results");
        assertThat(summary.get("mode").asText()).isEqualTo("vertical");
        JsonNode results = summary.get("results");
        assertThat(fieldNames(results)).containsExactly("centralised", "split", "splitLabelOwner", "local");
        assertThat(fieldNames(results.get("local"))).containsExactly("domain-1", "domain-2");
        for (JsonNode metrics : List.of(results.get("centralised"), results.get("split"), results.get("splitLabelOwner"),
                results.get("local").get("domain-1"))) {
            assertThat(fieldNames(metrics)).containsExactly("auc", "precision", "recall", "f1");
            metrics.forEach(value -> assertThat(value.asDouble()).isBetween(0.0, 1.0));
        }
        // The centralised baseline is the split model's network from the same initial parameters, trained with the same
        // recipe: distributing it over the store changes nothing but rounding.
        assertThat(results.get("split").get("auc").asDouble())
                .isCloseTo(results.get("centralised").get("auc").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
        assertThat(results.get("splitLabelOwner").get("auc").asDouble())
                .isEqualTo(results.get("split").get("auc").asDouble());
        assertThat(Files.readString(dataDir.resolve("report.html"))).contains("<table>").contains("alone");
        // Trained through the step protocol: the local S3 server holds both models' signed step objects.
        Path models = dataDir.resolve("vertical/objects/meshfl-vertical/models");
        assertThat(models.resolve("vertical-shared/vrounds/1/outcome.json")).exists();
        assertThat(models.resolve("vertical-owner/vrounds/1/outcome.json")).exists();
        assertThat(models.resolve("vertical-shared/vrounds/1/steps/0/gradients/domain-2.safetensors")).exists();
        assertThat(out.toString()).contains("private set intersection").contains("acceptance")
                .contains("evaluated after pass").contains("validation")
                .contains("paired bootstrap 95 % interval").contains("the domain with the lowest validation loss is");
        // Checked from the other side: the held-out entities scored through the scoring call's objects and events
        // rank exactly as the reported evaluation (the demo fails otherwise), for both label configurations.
        assertThat(out.toString().split("the scoring call", -1)).as(out.toString()).hasSize(3);
        assertThat(models.resolve("vertical-shared/scorings/held-out/scores.safetensors")).exists();
        assertThat(models.resolve("vertical-owner/scorings/held-out/outcome.json")).exists();
    }

    @Test
    void withFoldsEveryModelIsTestedOnEveryStratifiedFoldAndTheResultsAreTheFoldMeans(@TempDir Path dataDir)
            throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = MeshflCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int status = cli.execute("demo", "--mode", "vertical", "--entities", "300", "--domains", "2", "--rounds", "1",
                "--batch-size", "256", "--folds", "3", "--data-dir", dataDir.toString());

        assertThat(status).as(out.toString()).isZero();
        JsonNode summary = new ObjectMapper().readTree(dataDir.resolve("summary.json").toFile());
        assertThat(fieldNames(summary)).containsExactly("mode", "results", "folds");
        JsonNode results = summary.get("results");
        assertThat(fieldNames(results)).containsExactly("centralised", "split", "splitLabelOwner", "local");
        JsonNode folds = summary.get("folds");
        assertThat(folds.get("k").asInt()).isEqualTo(3);
        JsonNode perFold = folds.get("perFold");
        assertThat(perFold).hasSize(3);
        // Every common entity is tested once, and the positives are spread evenly (stratified).
        int tested = 0;
        List<Integer> positives = new java.util.ArrayList<>();
        double splitSum = 0;
        for (JsonNode fold : perFold) {
            tested += fold.get("tested").asInt();
            positives.add(fold.get("positives").asInt());
            assertThat(fold.get("auc").get("split").asDouble())
                    .isCloseTo(fold.get("auc").get("centralised").asDouble(), org.assertj.core.data.Offset.offset(1e-3));
            splitSum += fold.get("auc").get("split").asDouble();
        }
        assertThat(java.util.Collections.max(positives) - java.util.Collections.min(positives)).isLessThanOrEqualTo(1);
        assertThat(out.toString()).contains(tested + " common entities");
        assertThat(results.get("split").get("auc").asDouble())
                .isCloseTo(splitSum / 3, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(fieldNames(folds.get("models"))).contains("centralised", "split", "splitLabelOwner", "domain-1",
                "domain-2 (own rows)");
        // Each fold's split models trained through the store under their own names.
        Path models = dataDir.resolve("vertical/objects/meshfl-vertical/models");
        assertThat(models.resolve("vertical-shared-r1-f3/vrounds/1/outcome.json")).exists();
        assertThat(models.resolve("vertical-owner-r1-f1/vrounds/1/outcome.json")).exists();
        assertThat(Files.readString(dataDir.resolve("report.html"))).contains("Cross-validation");
        assertThat(out.toString()).contains("paired per-fold AUC differences");
        // The scoring call is checked once per split configuration, on the first fold.
        assertThat(out.toString().split("the scoring call", -1)).as(out.toString()).hasSize(3);
        assertThat(out.toString()).contains("split model 'vertical-shared-r1-f1': the scoring call");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
