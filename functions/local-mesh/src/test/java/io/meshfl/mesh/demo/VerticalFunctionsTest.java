package io.meshfl.mesh.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.meshfl.core.event.ObjectCreated;
import io.meshfl.core.event.S3NotificationWriter;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.S3ObjectStore;
import io.meshfl.core.objectstore.S3Settings;
import io.meshfl.core.update.SignatureVerifier;
import io.meshfl.auth.LocalTokenIssuer;
import io.meshfl.mesh.deploy.RenderedEnvironments;
import io.meshfl.mesh.events.BlobCreated;
import io.meshfl.mesh.federation.DomainSigningKey;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.mesh.process.FunctionProcess;
import io.meshfl.mesh.process.FunctionSpec;
import io.meshfl.vertical.scoring.HeadScoring;
import io.meshfl.vertical.scoring.ScoringOutcome;
import io.meshfl.vertical.scoring.ScoringRequest;
import io.meshfl.vertical.step.Optimiser;
import io.meshfl.vertical.step.VerticalRound;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Issue 16's deployment, on one machine: the packaged training function, booted with the environments the Knative
 * modules render (a domain's {@code training} Service, twice, and federation-knative's {@code vertical-head}), each
 * under the IAM document the {@code policies} module renders for it (vertical domain, vertical head) as the local S3
 * server enforces it, drives a private set intersection and one batch window of a split model only through object
 * events: every object-created event goes to every function's {@code /vertical}, as Knative's Triggers deliver them
 * (the functions route by key). The governance side only writes the settings.
 */
class VerticalFunctionsTest {

    private static final String BUCKET = "meshfl-vertical";
    private static final String MODEL = "fraud";
    private static final String SESSION = "psi-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void aPsiAndOneWindowRunThroughEventsUnderTheRenderedPoliciesAndNoDomainReachesAnothersObjects() throws Exception {
        FederationAccess access = FederationAccess.rendered(BUCKET, List.of("alpha", "beta"));
        S3Principal governance = new S3Principal("gov", "gov-secret", access.governance());
        S3Principal alpha = new S3Principal("alpha", "alpha-secret", access.verticalDomain("alpha"));
        S3Principal beta = new S3Principal("beta", "beta-secret", access.verticalDomain("beta"));
        S3Principal head = new S3Principal("head", "head-secret", access.verticalHead());
        Deliveries deliveries = new Deliveries();
        LocalTokenIssuer issuer = LocalTokenIssuer.inDirectory(dir.resolve("keys"));
        RenderedFunctions rendered = new RenderedFunctions(RenderedEnvironments.shipped(),
                new MeshLayout(dir.resolve("mesh")), FunctionJars.located(),
                new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(), issuer::function, issuer::domain));
        URI noRegistry = URI.create("http://127.0.0.1:9");
        Map<String, DomainSigningKey> keys = Map.of("alpha", DomainSigningKey.loadOrCreate(dir.resolve("alpha")),
                "beta", DomainSigningKey.loadOrCreate(dir.resolve("beta")),
                "governance", DomainSigningKey.loadOrCreate(dir.resolve("governance")));

        try (LocalObjectStoreServer server = LocalObjectStoreServer.start(dir.resolve("objects"), BUCKET, 0,
                List.of(governance, alpha, beta, head), deliveries::objectCreated)) {
            RenderedFunctions.ObjectStoreAddress address = new RenderedFunctions.ObjectStoreAddress(server.endpoint(),
                    server.region(), BUCKET);
            // Three JVMs at once: libtorch's first unpack dominates either way.
            List<CompletableFuture<FunctionProcess>> starting = List.of(
                    start(rendered.training("alpha", address, noRegistry, alpha, keys.get("alpha"))),
                    start(rendered.training("beta", address, noRegistry, beta, keys.get("beta"))),
                    start(rendered.verticalHead(address, noRegistry, head, keys.get("governance"), "unused")));
            List<FunctionProcess> functions = new ArrayList<>();
            try (S3ObjectStore operator = as(server, governance); S3ObjectStore alphaStore = as(server, alpha);
                 S3ObjectStore betaStore = as(server, beta)) {
                // Each domain publishes its rows in its own space: 30 entities each, 20 in common, other orders.
                alphaStore.put("domains/alpha/vertical/fraud/rows.csv", csv("a", IntStream.range(0, 30), true), Map.of());
                betaStore.put("domains/beta/vertical/fraud/rows.csv",
                        csv("b", IntStream.range(10, 40).map(i -> 49 - i), false), Map.of());
                for (CompletableFuture<FunctionProcess> process : starting) {
                    functions.add(process.join());
                }
                deliveries.deliverTo(functions);

                operator.put(ObjectKeys.psiSessionSettings(MODEL, SESSION), json("""
                        {"version": 1, "model": "fraud", "session": "psi-1", "headOwner": "governance",
                         "labelOwner": "alpha", "parties": {
                          "alpha": {"rows": "domains/alpha/vertical/fraud/rows.csv", "entityKey": "id", "label": "fraud"},
                          "beta": {"rows": "domains/beta/vertical/fraud/rows.csv", "entityKey": "id", "label": null}}}"""),
                        Map.of());
                String labels = ObjectKeys.psiSharedLabels(MODEL, SESSION, "alpha");
                await(operator, labels, deliveries);
                await(operator, ObjectKeys.domainPsiSession("beta", MODEL, SESSION) + "alignment.json", deliveries);

                operator.put(ObjectKeys.verticalRoundSettings(MODEL, 1), json("""
                        {"version": 1, "model": "fraud", "round": 1, "session": "psi-1",
                         "deadline": "%s", "optimiser": {"kind": "sgd", "learningRate": 0.1},
                         "batchSize": 32, "seed": 7, "bottomLayers": [4, 2], "headLayers": [4, 1],
                         "publicKeys": {"alpha": "%s", "beta": "%s", "governance": "%s"}}""".formatted(
                        Instant.now().plus(Duration.ofMinutes(10)), keys.get("alpha").publicKeyBase64(),
                        keys.get("beta").publicKeyBase64(), keys.get("governance").publicKeyBase64())), Map.of());
                String outcome = ObjectKeys.verticalRoundOutcome(MODEL, 1);
                await(operator, outcome, deliveries);
                for (String party : List.of("alpha", "beta")) {
                    await(operator, ObjectKeys.verticalDomainState(party, MODEL, "bottom", 1, 1), deliveries);
                }

                assertThat(new String(operator.read(outcome), StandardCharsets.UTF_8)).contains("COMPLETED");
                // The shared labels name entities by pseudonym only (SHA-256 hex), never by id.
                assertThat(new ObjectMapper().readTree(operator.read(labels)).path("pseudonyms"))
                        .hasSize(20).allSatisfy(p -> assertThat(p.asText()).matches("[0-9a-f]{64}"));
                assertThat(deliveries.failures()).isEmpty();
                assertThat(server.denials()).as("every request the functions made is allowed by the rendered policies")
                        .isEmpty();
                // A redelivered embedding event applies nothing a second time.
                String embedding = ObjectKeys.verticalEmbedding(MODEL, 1, 0, "beta");
                assertThat(deliveries.post(functions.get(2), operator.head(embedding).orElseThrow().etag(), embedding))
                        .contains("already applied");

                // Scoring through the same functions and events: governance asks for 5 of the 20 common entities at
                // the version round 1 produced; each party answers with its embeddings, the head with the scores.
                List<String> common = new ArrayList<>();
                new ObjectMapper().readTree(operator.read(labels)).path("pseudonyms").forEach(p -> common.add(p.asText()));
                ScoringRequest request = ScoringRequest.of(MODEL, "score-1", SESSION, 1, common.subList(3, 8));
                assertThat(request.writeOnce(operator)).isTrue();
                await(operator, ObjectKeys.scoringOutcome(MODEL, "score-1"), deliveries);
                ScoringOutcome scored = ScoringOutcome.read(operator, MODEL, "score-1").orElseThrow();
                assertThat(scored.status()).as(scored.reason()).isEqualTo(ScoringOutcome.Status.DONE);
                VerticalRound trained = new VerticalRound(MODEL, 1, List.of("alpha", "beta"), VerticalRound.GOVERNANCE,
                        1, Instant.now(), Optimiser.sgd(0.1f));
                float[] scores = HeadScoring.readScores(operator, request, trained,
                        SignatureVerifier.fromX509Base64(keys.get("governance").publicKeyBase64()));
                assertThat(scores).hasSize(5);
                for (float score : scores) {
                    assertThat(score).isStrictlyBetween(0f, 1f);
                }
                // Redelivered events answer nothing new: one scores object, the same outcome.
                String alphaAnswer = ObjectKeys.scoringEmbedding(MODEL, "score-1", "alpha");
                assertThat(deliveries.post(functions.get(0), operator.head(request.key()).orElseThrow().etag(),
                        request.key())).contains("already answered");
                assertThat(deliveries.post(functions.get(2), operator.head(alphaAnswer).orElseThrow().etag(),
                        alphaAnswer)).contains("DONE: 5 scores");
                // An entity outside the intersection: the parties refuse, the head fails the scoring, no scores.
                ScoringRequest stranger = ScoringRequest.of(MODEL, "score-2", SESSION, 1,
                        List.of(common.get(0), "f".repeat(64)));
                stranger.writeOnce(operator);
                await(operator, ObjectKeys.scoringOutcome(MODEL, "score-2"), deliveries);
                ScoringOutcome refused = ScoringOutcome.read(operator, MODEL, "score-2").orElseThrow();
                assertThat(refused.status()).isEqualTo(ScoringOutcome.Status.FAILED);
                assertThat(refused.reason()).contains("holds no entity for 1 of the 2 pseudonyms of scoring 'score-2'");
                assertThat(operator.head(ObjectKeys.scoringScores(MODEL, "score-2"))).isEmpty();

                // The rendered policies keep each domain to its own objects.
                String betaGradient = ObjectKeys.verticalGradient(MODEL, 1, 0, "beta");
                assertThat(operator.head(betaGradient)).isPresent();
                assertDenied(() -> alphaStore.read(betaGradient));
                assertDenied(() -> alphaStore.put(ObjectKeys.verticalEmbedding(MODEL, 1, 1, "beta"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                assertDenied(() -> betaStore.read(labels));
                assertDenied(() -> betaStore.read(ObjectKeys.domainPsiSession("alpha", MODEL, SESSION) + "blinding-key"));
                assertDenied(() -> alphaStore.put(ObjectKeys.verticalGradient(MODEL, 1, 1, "alpha"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                // Scoring: no party reads another's answer or the scores, nor writes another's answer.
                assertDenied(() -> betaStore.read(alphaAnswer));
                assertDenied(() -> alphaStore.read(ObjectKeys.scoringScores(MODEL, "score-1")));
                assertDenied(() -> alphaStore.put(ObjectKeys.scoringEmbedding(MODEL, "score-3", "beta"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                String objects = "arn:aws:s3:::" + BUCKET + "/";
                assertThat(server.denials().stream().map(d -> d.principal() + " " + d.action() + " "
                        + d.resourceArn().substring(objects.length())).distinct()).containsExactlyInAnyOrder(
                        "alpha s3:GetObject " + betaGradient,
                        "alpha s3:PutObject " + ObjectKeys.verticalEmbedding(MODEL, 1, 1, "beta"),
                        "beta s3:GetObject " + labels,
                        "beta s3:GetObject " + ObjectKeys.domainPsiSession("alpha", MODEL, SESSION) + "blinding-key",
                        "alpha s3:PutObject " + ObjectKeys.verticalGradient(MODEL, 1, 1, "alpha"),
                        "beta s3:GetObject " + alphaAnswer,
                        "alpha s3:GetObject " + ObjectKeys.scoringScores(MODEL, "score-1"),
                        "alpha s3:PutObject " + ObjectKeys.scoringEmbedding(MODEL, "score-3", "beta"));
            } finally {
                deliveries.close();
                for (CompletableFuture<FunctionProcess> process : starting) {
                    process.handle((started, failure) -> {
                        if (started != null) {
                            started.close();
                        }
                        return null;
                    }).join();
                }
            }
        }
    }

    private CompletableFuture<FunctionProcess> start(FunctionSpec spec) {
        return CompletableFuture.supplyAsync(() -> FunctionProcess.start(spec, dir.resolve("logs"), Duration.ofMinutes(2)));
    }

    /** Entity ids e{i}; alpha also holds the label, 1 for every third entity. */
    private static byte[] csv(String prefix, IntStream ids, boolean labelled) {
        StringBuilder out = new StringBuilder("id," + prefix + "1," + prefix + "2" + (labelled ? ",fraud" : "") + "\n");
        ids.forEach(i -> out.append("e").append(i).append(',').append(i % 7).append(',').append((i * 13) % 5)
                .append(labelled ? "," + (i % 3 == 0 ? 1 : 0) : "").append('\n'));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static void await(S3ObjectStore store, String key, Deliveries deliveries) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(60));
        while (store.head(key).isEmpty()) {
            assertThat(deliveries.failures()).as("while waiting for " + key).isEmpty();
            assertThat(Instant.now()).as("waiting for " + key).isBefore(until);
            Thread.sleep(100);
        }
    }

    private static void assertDenied(Runnable request) {
        assertThatThrownBy(request::run).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).statusCode()).isEqualTo(403));
    }

    private static S3ObjectStore as(LocalObjectStoreServer server, S3Principal principal) {
        return S3ObjectStore.connect(new S3Settings(BUCKET, server.region(), Optional.of(server.endpoint()), true,
                Optional.of(principal.accessKey()), Optional.of(principal.secretKey())));
    }

    /**
     * The test's event bus: every object-created event, as an S3 notification, to every function's {@code /vertical},
     * one at a time per function in the order the server stored the objects (a queue per subscriber).
     */
    private static final class Deliveries implements AutoCloseable {

        private final List<ExecutorService> queues = new ArrayList<>();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong sequence = new AtomicLong();
        private volatile List<FunctionProcess> functions = List.of();

        void deliverTo(List<FunctionProcess> targets) {
            functions = List.copyOf(targets);
            targets.forEach(t -> queues.add(Executors.newSingleThreadExecutor()));
        }

        void objectCreated(BlobCreated event) {
            List<FunctionProcess> targets = functions;
            for (int i = 0; i < targets.size(); i++) {
                FunctionProcess target = targets.get(i);
                queues.get(i).execute(() -> {
                    try {
                        post(target, event.etag(), event.key());
                    } catch (Exception e) {
                        failures.add(target.name() + " " + event.key() + ": " + e.getMessage());
                    }
                });
            }
        }

        String post(FunctionProcess target, String etag, String key) throws Exception {
            String notification = S3NotificationWriter.json(new ObjectCreated(BUCKET, key, etag, 0), "ObjectCreated:Put",
                    Instant.now(), LocalObjectStoreServer.REGION, sequence.incrementAndGet());
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(target.uri().resolve("/vertical"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notification))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200 || response.body().contains("\"refused\"")) {
                failures.add(target.name() + " " + key + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        }

        List<String> failures() {
            return failures.stream().collect(Collectors.toList());
        }

        @Override
        public void close() {
            queues.forEach(ExecutorService::shutdownNow);
        }
    }
}
