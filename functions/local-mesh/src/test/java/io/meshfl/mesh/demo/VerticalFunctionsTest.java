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
import io.meshfl.mesh.iam.IamPolicy;
import io.meshfl.mesh.objectstore.AccessPolicy;
import io.meshfl.mesh.objectstore.FederationAccess;
import io.meshfl.mesh.objectstore.LocalObjectStoreServer;
import io.meshfl.mesh.objectstore.S3Principal;
import io.meshfl.mesh.process.FunctionProcess;
import io.meshfl.mesh.process.FunctionSpec;
import io.meshfl.registry.api.DomainRegistration;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RegistryConnection;
import io.meshfl.registry.api.VerticalRoundState;
import io.meshfl.registry.api.VerticalRoundView;
import io.meshfl.registry.api.VerticalScoringRequest;
import io.meshfl.registry.api.VerticalScoringView;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.EmbeddedPostgresServer;
import io.meshfl.testing.RegistryProcess;
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
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
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
 * (the functions route by key), each with the function token the federation's event bridge holds. The rounds are
 * the packaged registry's (on the embedded PostgreSQL): the governance side registers the model (with its PSI
 * session and the head's key) and opens round 1; the registry's {@code meshfl.vround.opened} events, sent to the
 * test's Broker and delivered to every function, start each round with the registry's settings and keys, the head
 * records every outcome there (which opens the next round), and the schedule's sweep fails a round whose party never
 * wrote, with no object event; the test writes nothing between rounds. Duplicate, concurrent, stale and forged
 * round events and a {@code round.json} start nothing more; a head key rotated in the registry between rounds does
 * not block the next. A scoring of the version round 1 produced runs through the same functions and events (the
 * parties' embeddings, the head's scores); one of a round that produced no version is refused. Then the attacks the
 * review named: a call without that token, the head of one model on another's labels, the bucket account's
 * administrator on a domain's PSI scalar, and a forged round outcome written by a principal the bucket policy does
 * not stop (the account's root), which a party starting late refuses.
 */
class VerticalFunctionsTest {

    private static final String BUCKET = "meshfl-vertical";
    private static final String MODEL = "fraud";
    private static final String SESSION = "psi-1";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void theRegistrysRoundsRunThroughEventsUnderTheRenderedPoliciesAndTheSweepFailsOneWhosePartyNeverWrites() throws Exception {
        FederationAccess access = FederationAccess.renderedVertical(BUCKET, List.of("alpha", "beta"), MODEL);
        S3Principal governance = new S3Principal("gov", "gov-secret", access.governance());
        S3Principal alpha = new S3Principal("alpha", "alpha-secret", access.verticalDomain("alpha"));
        S3Principal beta = new S3Principal("beta", "beta-secret", access.verticalDomain("beta"));
        S3Principal head = new S3Principal("head", "head-secret", access.verticalHead());
        // The bucket account's root, or whoever rewrote the bucket policy: allowed everything, no bucket policy applies.
        S3Principal root = new S3Principal("root", "root-secret", new AccessPolicy("root",
                "arn:aws:iam::" + FederationAccess.ACCOUNT + ":root", List.of(IamPolicy.parse("root (test)",
                new ObjectMapper().readTree("""
                        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"""),
                false)), Optional.empty()));
        // The registry sends its round events to the test's Broker, which delivers meshfl.vround.opened to every
        // function as Knative's Triggers would: nothing but the registry starts a round.
        Deliveries deliveries = new Deliveries();
        RegistryProcess registryProcess = RegistryProcess.startSendingEventsTo(deliveries.broker());
        LocalTokenIssuer issuer = registryProcess.issuer();
        deliveries.authenticate(issuer.function());
        URI registryUrl = URI.create(registryProcess.baseUrl() + "/");
        RegistryClient registry = RegistryConnection.to(registryUrl).as(issuer.governance());
        RenderedFunctions rendered = new RenderedFunctions(RenderedEnvironments.shipped(),
                new MeshLayout(dir.resolve("mesh")), FunctionJars.located(),
                new RegistryTrust(issuer.publicKeyPem(), issuer.issuer(), issuer::function, issuer::domain));
        Map<String, DomainSigningKey> keys = Map.of("alpha", DomainSigningKey.loadOrCreate(dir.resolve("alpha")),
                "beta", DomainSigningKey.loadOrCreate(dir.resolve("beta")),
                "governance", DomainSigningKey.loadOrCreate(dir.resolve("governance")));
        registerVerticalModel(registryProcess, registry, keys);

        try (LocalObjectStoreServer server = LocalObjectStoreServer.start(dir.resolve("objects"), BUCKET, 0,
                List.of(governance, alpha, beta, head, root), deliveries::objectCreated)) {
            RenderedFunctions.ObjectStoreAddress address = new RenderedFunctions.ObjectStoreAddress(server.endpoint(),
                    server.region(), BUCKET);
            // Three JVMs at once: libtorch's first unpack dominates either way.
            List<CompletableFuture<FunctionProcess>> starting = List.of(
                    start(rendered.training("alpha", address, registryUrl, alpha, keys.get("alpha"))),
                    start(rendered.training("beta", address, registryUrl, beta, keys.get("beta"))),
                    start(rendered.verticalHead(address, registryUrl, head, keys.get("governance"),
                            issuer.function())));
            List<FunctionProcess> functions = new ArrayList<>();
            try (S3ObjectStore operator = as(server, governance); S3ObjectStore alphaStore = as(server, alpha);
                 S3ObjectStore betaStore = as(server, beta); S3ObjectStore headStore = as(server, head);
                 S3ObjectStore rootStore = as(server, root)) {
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
                // A domain's PSI folder is its own: the governance waits on beta's alignment as beta.
                await(betaStore, ObjectKeys.domainPsiSession("beta", MODEL, SESSION) + "alignment.json", deliveries);

                // From here beta's function hears the registry's round events but no bucket event (its trigger on
                // the bucket lost): it begins round 1, never hears its gradient, and so cannot begin round 2.
                deliveries.muteObjectEvents(functions.get(1));
                // The governance opens round 1; the registry's round-opened event starts it, and every later round
                // starts when the head records the previous outcome: the test writes nothing between rounds.
                registry.openVerticalRound(MODEL);
                String outcome = ObjectKeys.verticalRoundOutcome(MODEL, 1);
                await(operator, outcome, deliveries);
                await(operator, ObjectKeys.verticalDomainState("alpha", MODEL, "bottom", 1, 1), deliveries);
                assertThat(betaStore.head(ObjectKeys.verticalDomainState("beta", MODEL, "bottom", 1, 0))).isPresent();

                assertThat(new String(operator.read(outcome), StandardCharsets.UTF_8)).contains("COMPLETED");
                // The head recorded it in the registry, which opened round 2 from the version round 1 produced.
                VerticalRoundView second = awaitRound(registry, 2);
                assertThat(registry.verticalRound(MODEL, 1).orElseThrow()).satisfies(r -> {
                    assertThat(r.state()).isEqualTo(VerticalRoundState.COMPLETED);
                    assertThat(r.producedVersion()).isEqualTo(2);
                });
                assertThat(second.baseVersion()).isEqualTo(2);
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

                // The common entities, by pseudonym: what the scorings below name.
                List<String> common = new ArrayList<>();
                new ObjectMapper().readTree(operator.read(labels)).path("pseudonyms").forEach(p -> common.add(p.asText()));

                // The rendered policies keep each domain to its own objects.
                String betaGradient = ObjectKeys.verticalGradient(MODEL, 1, 0, "beta");
                assertThat(operator.head(betaGradient)).isPresent();
                assertDenied(() -> alphaStore.read(betaGradient));
                assertDenied(() -> alphaStore.put(ObjectKeys.verticalEmbedding(MODEL, 1, 1, "beta"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                assertDenied(() -> betaStore.read(labels));
                assertDenied(() -> betaStore.read(ObjectKeys.domainPsiSession("alpha", MODEL, SESSION) + "blinding-key"));
                assertThat(deliveries.failures()).isEmpty();
                assertDenied(() -> alphaStore.put(ObjectKeys.verticalGradient(MODEL, 1, 1, "alpha"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                // The event endpoint admits the federation's event bridge only (a function token).
                assertThat(deliveries.status(functions.get(0), null, embedding)).isEqualTo(401);
                assertThat(deliveries.status(functions.get(0), issuer.domain("alpha"), embedding)).isEqualTo(403);

                // The governance-side head heads fraud, not churn: churn's labels and outcome are not its own.
                String churnLabels = ObjectKeys.psiSharedLabels("churn", SESSION, "alpha");
                rootStore.put(churnLabels, json("{}"), Map.of());
                assertDenied(() -> headStore.read(churnLabels));
                assertDenied(() -> headStore.put(ObjectKeys.verticalRoundOutcome("churn", 1), json("{}"), Map.of()));

                // alpha's PSI scalar: no one else, not the bucket account's administrator, not the head.
                String alphaScalar = ObjectKeys.domainPsiSession("alpha", MODEL, SESSION) + "blinding-key";
                assertThat(alphaStore.head(alphaScalar)).isPresent();
                assertDenied(() -> operator.read(alphaScalar));
                assertDenied(() -> headStore.read(alphaScalar));

                String objects = "arn:aws:s3:::" + BUCKET + "/";
                assertThat(server.denials().stream().map(d -> d.principal() + " " + d.action() + " "
                        + d.resourceArn().substring(objects.length())).distinct()).containsExactlyInAnyOrder(
                        "alpha s3:GetObject " + betaGradient,
                        "alpha s3:PutObject " + ObjectKeys.verticalEmbedding(MODEL, 1, 1, "beta"),
                        "beta s3:GetObject " + labels,
                        "beta s3:GetObject " + alphaScalar,
                        "alpha s3:PutObject " + ObjectKeys.verticalGradient(MODEL, 1, 1, "alpha"),
                        "vertical-head s3:GetObject " + churnLabels,
                        "vertical-head s3:PutObject " + ObjectKeys.verticalRoundOutcome("churn", 1),
                        "governance s3:GetObject " + alphaScalar,
                        "vertical-head s3:GetObject " + alphaScalar);

                // Round 2 started by itself: alpha and the head began it; beta, still without round 1's gradient,
                // waits for its own last state and never writes.
                await(operator, ObjectKeys.verticalEmbedding(MODEL, 2, 0, "alpha"), deliveries);
                await(operator, ObjectKeys.verticalHeadState(MODEL, 2, 0), deliveries);
                deliveries.drain();
                String secondOutcome = ObjectKeys.verticalRoundOutcome(MODEL, 2);
                assertThat(operator.head(secondOutcome)).as("window 0 waits for beta").isEmpty();
                assertThat(operator.head(ObjectKeys.verticalEmbedding(MODEL, 2, 0, "beta"))).isEmpty();
                // Duplicate and concurrent round-opened events start the round once: nothing stored changes.
                String alphaSecond = ObjectKeys.verticalEmbedding(MODEL, 2, 0, "alpha");
                String alphaEtag = operator.head(alphaSecond).orElseThrow().etag();
                List<CompletableFuture<String>> twice = List.of(0, 0, 2, 2).stream().map(i -> CompletableFuture
                        .supplyAsync(() -> deliveries.roundOpened(functions.get(i), MODEL, 2))).toList();
                assertThat(twice).allSatisfy(answer -> assertThat(answer.join()).contains("\"began\""));
                assertThat(operator.head(alphaSecond).orElseThrow().etag()).isEqualTo(alphaEtag);
                // A stale event (round 1 has ended) and a forged one (round 9 was never opened) start nothing.
                assertThat(deliveries.roundOpened(functions.get(0), MODEL, 1)).contains("\"ignored\"")
                        .contains("is COMPLETED in the registry");
                assertThat(deliveries.roundOpened(functions.get(2), MODEL, 9)).contains("\"refused\"")
                        .contains("The registry has no round 9");
                assertThat(operator.list("models/" + MODEL + "/vrounds/9/")).isEmpty();
                // The governance rotates the head's key in the registry while round 2 runs: round 3 will open with the
                // new key, round 2 keeps the one it opened with, whose signature its outcome carries.
                String rotated = DomainSigningKey.loadOrCreate(dir.resolve("governance-rotated")).publicKeyBase64();
                rotateHeadKey(registryUrl, issuer.governance(), rotated);
                // Round 2 has produced no version (yet): the registry refuses to record a scoring of it, and a request
                // the governance side writes anyway is refused by alpha and failed by the head, both naming the
                // registry's state, with no scores (the head's report of it is refused by the registry, which has
                // no such scoring).
                assertThatThrownBy(() -> registry.requestVerticalScoring(MODEL,
                        new VerticalScoringRequest(SESSION, 3, common.subList(0, 2))))
                        .isInstanceOf(io.meshfl.registry.api.RegistryException.class).hasMessageContaining("version");
                ScoringRequest unfinished = ScoringRequest.of(MODEL, "score-2", SESSION, 2, common.subList(0, 2));
                unfinished.writeOnce(operator);
                await(operator, ObjectKeys.scoringOutcome(MODEL, "score-2"), deliveries);
                ScoringOutcome refused = ScoringOutcome.read(operator, MODEL, "score-2").orElseThrow();
                assertThat(refused.status()).isEqualTo(ScoringOutcome.Status.FAILED);
                assertThat(refused.reason()).contains("the registry records round 2 of model 'fraud' as OPEN");
                assertThat(operator.head(ObjectKeys.scoringRefusal(MODEL, "score-2", "alpha"))).isPresent();
                assertThat(operator.head(ObjectKeys.scoringScores(MODEL, "score-2"))).isEmpty();
                // Its deadline passes (moved on the registry's clock, the one deadlines are judged by) and the
                // schedule's sweep reaches the head: no object event is involved.
                passDeadline(registryProcess, 2);
                assertThat(deliveries.sweep(functions.get(2))).contains("swept").contains("no embeddings from beta");

                VerticalRoundView failed = registry.verticalRound(MODEL, 2).orElseThrow();
                assertThat(failed.state()).isEqualTo(VerticalRoundState.FAILED);
                assertThat(failed.missing()).containsExactly("beta");
                assertThat(failed.failedWindow()).isZero();
                assertThat(failed.failureReason()).contains("window 0 of 1 is still open, no embeddings from beta");
                assertThat(new String(operator.read(secondOutcome), StandardCharsets.UTF_8)).contains("FAILED")
                        .contains("\"missing\":[\"beta\"]");
                VerticalRoundView third = registry.currentVerticalRound(MODEL).orElseThrow();
                assertThat(third.number()).isEqualTo(3);
                assertThat(third.baseVersion()).as("a failed round changes no version").isEqualTo(2);
                // A second sweep finds nothing due; the store's and the registry's outcome stay the first.
                assertThat(deliveries.sweep(functions.get(2))).doesNotContain("swept");
                // Round 3 started by itself from round 2's failure: alpha and the head began it from round 1's states,
                // having checked round 2's outcome with round 2's head key although round 3 has the rotated one.
                await(operator, ObjectKeys.verticalEmbedding(MODEL, 3, 0, "alpha"), deliveries);
                await(operator, ObjectKeys.verticalHeadState(MODEL, 3, 0), deliveries);
                deliveries.drain();
                assertThat(registry.verticalRound(MODEL, 3).orElseThrow().publicKeys()).containsEntry("governance",
                        rotated);
                assertThat(registry.verticalRound(MODEL, 2).orElseThrow().publicKeys()).containsEntry("governance",
                        keys.get("governance").publicKeyBase64());
                // A round.json (what the governance side used to write per round), here for round 3 with another
                // learning rate, starts and redirects nothing.
                String alphaThird = ObjectKeys.verticalEmbedding(MODEL, 3, 0, "alpha");
                String alphaThirdEtag = operator.head(alphaThird).orElseThrow().etag();
                operator.put(ObjectKeys.verticalRoundSettings(MODEL, 3), roundJson(third, keys), Map.of());
                deliveries.drain();
                assertThat(deliveries.failures()).isEmpty();
                assertThat(operator.head(alphaThird).orElseThrow().etag()).isEqualTo(alphaThirdEtag);
                assertThat(operator.head(ObjectKeys.verticalHeadState(MODEL, 3, 1))).isEmpty();
                assertThat(server.denials().stream().map(d -> d.principal() + " " + d.action() + " "
                        + d.resourceArn()).distinct()).as("round events, the sweep and the registry checks need no"
                        + " new access").hasSize(9);

                // Scoring the version round 1 produced, through the same functions and events. beta never heard its
                // round-1 gradient; delivered now, beta applies it and holds round 1's last state (round 2 has failed,
                // so it starts nothing). The governance asks the registry for 5 of the 20 common entities at version 2
                // and writes the request object it answers; each party answers with its embeddings, the head with the
                // scores, and it records the outcome in the registry.
                assertThat(deliveries.post(functions.get(1), operator.head(betaGradient).orElseThrow().etag(),
                        betaGradient)).doesNotContain("next round");
                assertThat(operator.head(ObjectKeys.verticalDomainState("beta", MODEL, "bottom", 1, 1))).isPresent();
                assertThat(operator.head(ObjectKeys.verticalEmbedding(MODEL, 3, 0, "beta"))).isEmpty();
                VerticalScoringView asked = registry.requestVerticalScoring(MODEL,
                        new VerticalScoringRequest(SESSION, 2, common.subList(3, 8)));
                assertThat(asked.round()).isEqualTo(1);
                String scoring = asked.scoringId();
                operator.put(asked.requestKey(), new ObjectMapper().writeValueAsBytes(asked.request()), Map.of());
                ScoringRequest request = ScoringRequest.read(operator, MODEL, scoring).orElseThrow();
                // beta's trigger on the bucket is still lost: the request's event reaches it by hand.
                assertThat(deliveries.post(functions.get(1), operator.head(request.key()).orElseThrow().etag(),
                        request.key())).contains("embedded 5 entities");
                assertThat(request.digest()).as("the registry's digest is the vertical module's").isEqualTo(asked.digest());
                await(operator, ObjectKeys.scoringOutcome(MODEL, scoring), deliveries);
                ScoringOutcome scored = ScoringOutcome.read(operator, MODEL, scoring).orElseThrow();
                assertThat(scored.status()).as(scored.reason()).isEqualTo(ScoringOutcome.Status.DONE);
                deliveries.drain();
                assertThat(registry.verticalScoring(MODEL, scoring).orElseThrow()).satisfies(s -> {
                    assertThat(s.state()).isEqualTo("DONE");
                    assertThat(s.scoresKey()).isEqualTo(ObjectKeys.scoringScores(MODEL, scoring));
                });
                VerticalRound trained = new VerticalRound(MODEL, 1, List.of("alpha", "beta"), VerticalRound.GOVERNANCE,
                        1, Instant.now(), Optimiser.sgd(0.1f));
                float[] scores = HeadScoring.readScores(operator, request, trained,
                        SignatureVerifier.fromX509Base64(keys.get("governance").publicKeyBase64()));
                assertThat(scores).hasSize(5);
                for (float score : scores) {
                    assertThat(score).isStrictlyBetween(0f, 1f);
                }
                // Redelivered events answer nothing new: one scores object, the same outcome.
                String alphaAnswer = ObjectKeys.scoringEmbedding(MODEL, scoring, "alpha");
                assertThat(deliveries.post(functions.get(0), operator.head(request.key()).orElseThrow().etag(),
                        request.key())).contains("already answered");
                assertThat(deliveries.post(functions.get(2), operator.head(alphaAnswer).orElseThrow().etag(),
                        alphaAnswer)).contains("DONE: 5 scores").contains("was in the registry already");

                // Scoring: no party reads another's answer or the scores, nor writes another's answer.
                assertDenied(() -> betaStore.read(alphaAnswer));
                assertDenied(() -> alphaStore.read(ObjectKeys.scoringScores(MODEL, scoring)));
                assertDenied(() -> alphaStore.put(ObjectKeys.scoringEmbedding(MODEL, "score-3", "beta"),
                        "forged".getBytes(StandardCharsets.UTF_8), Map.of()));
                assertThat(server.denials().stream().map(d -> d.principal() + " " + d.action() + " "
                        + d.resourceArn()).distinct()).as("the scoring needs no new access").hasSize(12);

                // A forged outcome of round 2 (the genuine one, COMPLETED instead of FAILED): the governance may not
                // write it, the root may; beta, hearing round 3's event late, refuses to start on it.
                byte[] forged = new String(operator.read(secondOutcome), StandardCharsets.UTF_8)
                        .replace("FAILED", "COMPLETED").getBytes(StandardCharsets.UTF_8);
                assertDenied(() -> operator.put(secondOutcome, forged, Map.of()));
                rootStore.put(secondOutcome, forged, Map.of());
                assertThat(deliveries.roundOpened(functions.get(1), MODEL, 3)).contains("\"refused\"")
                        .contains(secondOutcome).contains("signature");
                assertThat(operator.head(ObjectKeys.verticalEmbedding(MODEL, 3, 0, "beta"))).isEmpty();
                assertThat(betaStore.head(ObjectKeys.verticalDomainState("beta", MODEL, "bottom", 3, 0))).isEmpty();
                assertThat(server.denials().stream().map(d -> d.principal() + " " + d.action() + " "
                        + d.resourceArn().substring(objects.length())).distinct())
                        .contains("governance s3:PutObject " + secondOutcome).hasSize(13);
            } finally {
                deliveries.close();
                registryProcess.close();
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

    /** Domains with their signing keys, their entity-keyed products, and the model, labels shared from alpha. */
    private static void registerVerticalModel(RegistryProcess process, RegistryClient governance,
            Map<String, DomainSigningKey> keys) {
        for (String domain : List.of("alpha", "beta")) {
            governance.registerDomain(new DomainRegistration(domain, domain, domain + "@example.org",
                    keys.get(domain).publicKeyBase64()));
            RegistryConnection.to(URI.create(process.baseUrl() + "/")).as(process.issuer().domain(domain))
                    .registerDataProduct(DataProductDescriptors.entityColumns(domain + "-rows", domain, "fraud-check",
                            "id", List.of(domain.charAt(0) + "1", domain.charAt(0) + "2"),
                            domain.equals("alpha") ? "fraud" : null));
        }
        governance.registerVerticalModel(Map.of("id", MODEL, "purpose", "fraud-check",
                "parties", List.of(Map.of("domain", "alpha", "dataProduct", "alpha-rows"),
                        Map.of("domain", "beta", "dataProduct", "beta-rows")),
                "labelOwner", "governance", "labelSource", "alpha",
                "architecture", Map.of("bottom", List.of(4, 2), "head", List.of(4, 1)),
                "policy", Map.of("roundDeadlineSeconds", 600),
                "training", Map.of("batchSize", 32, "windows", 1, "seed", 7, "optimizer", "sgd", "learningRate", 0.1),
                "psiSession", SESSION, "headPublicKey", keys.get("governance").publicKeyBase64()));
    }

    /** A round.json as the governance side wrote one per round before rounds started from the registry alone. */
    private static byte[] roundJson(VerticalRoundView round, Map<String, DomainSigningKey> keys) {
        String learningRate = "0.5";
        return json("""
                {"version": 1, "model": "%s", "round": %d, "session": "psi-1",
                 "deadline": "%s", "optimiser": {"kind": "%s", "learningRate": %s},
                 "batchSize": %d, "seed": %d, "bottomLayers": %s, "headLayers": %s,
                 "publicKeys": {"alpha": "%s", "beta": "%s", "governance": "%s"}}""".formatted(round.model(),
                round.number(), round.deadline(), round.training().optimizer(), learningRate,
                round.training().batchSize(), round.training().seed(), round.architecture().bottom(),
                round.architecture().head(), keys.get("alpha").publicKeyBase64(), keys.get("beta").publicKeyBase64(),
                keys.get("governance").publicKeyBase64()));
    }

    private static VerticalRoundView awaitRound(RegistryClient registry, int number) throws InterruptedException {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Optional<VerticalRoundView> round = registry.currentVerticalRound(MODEL);
            if (round.isPresent() && round.get().number() == number) {
                return round.get();
            }
            assertThat(Instant.now()).as("waiting for vertical round " + number + " in the registry").isBefore(until);
            Thread.sleep(25);
        }
    }

    /** The governance's key rotation of the head: {@code PATCH /vertical-models/{id}}, for the rounds opened after it. */
    private static void rotateHeadKey(URI registry, String governance, String publicKey) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(registry.resolve("vertical-models/" + MODEL))
                .header("Authorization", "Bearer " + governance).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"headPublicKey\": \"" + publicKey + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    /** Moves the round's deadline into the past on the registry's database clock, as the registry's tests do. */
    private static void passDeadline(RegistryProcess process, int number) throws Exception {
        EmbeddedPostgresServer.Endpoint db = EmbeddedPostgresServer.shared();
        try (Connection connection = DriverManager.getConnection(process.jdbcUrl(), db.user(), db.password());
             PreparedStatement moved = connection.prepareStatement("UPDATE vertical_round SET deadline = "
                     + "clock_timestamp() - interval '1 second' WHERE model_id = ? AND number = ?")) {
            moved.setString(1, MODEL);
            moved.setInt(2, number);
            assertThat(moved.executeUpdate()).isEqualTo(1);
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
            Thread.sleep(25);
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

        private volatile String token;
        private final List<ExecutorService> queues = new ArrayList<>();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong sequence = new AtomicLong();
        private final java.util.Set<String> muted = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private volatile List<FunctionProcess> functions = List.of();
        private final com.sun.net.httpserver.HttpServer broker;

        /** Starts the Broker the registry sends its round events to. */
        Deliveries() throws java.io.IOException {
            broker = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), 0), 0);
            broker.createContext("/", this::roundEvent);
            broker.start();
        }

        /** The registry's sink (its K_SINK). */
        URI broker() {
            return URI.create("http://127.0.0.1:" + broker.getAddress().getPort() + "/");
        }

        /** @param functionToken the event bridge's function token, sent with every delivery */
        void authenticate(String functionToken) {
            token = functionToken;
        }

        /**
         * A binary-mode CloudEvent from the registry: meshfl.vround.opened goes to every function's /vertical with its
         * ce-* headers, in each function's queue, as a Trigger filtering on that type delivers it; other types are
         * acknowledged and dropped (no Trigger takes them).
         */
        private void roundEvent(com.sun.net.httpserver.HttpExchange exchange) throws java.io.IOException {
            try (exchange) {
                byte[] data = exchange.getRequestBody().readAllBytes();
                Map<String, String> headers = new java.util.TreeMap<>();
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (name.toLowerCase(java.util.Locale.ROOT).startsWith("ce-")) {
                        headers.put(name.toLowerCase(java.util.Locale.ROOT), values.get(0));
                    }
                });
                if ("meshfl.vround.opened".equals(headers.get("ce-type"))) {
                    List<FunctionProcess> targets = functions;
                    for (int i = 0; i < targets.size(); i++) {
                        FunctionProcess target = targets.get(i);
                        queues.get(i).execute(() -> {
                            try {
                                HttpResponse<String> response = send(target, headers, data);
                                if (response.statusCode() != 200 || response.body().contains("\"refused\"")) {
                                    failures.add(target.name() + " " + headers.get("ce-subject") + ": "
                                            + response.statusCode() + " " + response.body());
                                }
                            } catch (Exception e) {
                                failures.add(target.name() + " " + headers.get("ce-subject") + ": " + e.getMessage());
                            }
                        });
                    }
                }
                exchange.sendResponseHeaders(202, -1);
            }
        }

        /** The registry's round-opened event of round {@code number}, delivered once more to {@code target}. */
        String roundOpened(FunctionProcess target, String model, int number) {
            try {
                return send(target, Map.of("ce-specversion", "1.0", "ce-id", "redelivered-" + sequence.incrementAndGet(),
                        "ce-type", "meshfl.vround.opened", "ce-source", "/meshfl/registry", "ce-subject",
                        model + "/" + number), ("{\"model\": \"" + model + "\", \"number\": " + number + "}")
                        .getBytes(StandardCharsets.UTF_8)).body();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        private HttpResponse<String> send(FunctionProcess target, Map<String, String> headers, byte[] data)
                throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve("/vertical"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(data)).timeout(Duration.ofSeconds(60));
            headers.forEach(request::header);
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        void deliverTo(List<FunctionProcess> targets) {
            functions = List.copyOf(targets);
            targets.forEach(t -> queues.add(Executors.newSingleThreadExecutor()));
        }

        void objectCreated(BlobCreated event) {
            List<FunctionProcess> targets = functions;
            for (int i = 0; i < targets.size(); i++) {
                FunctionProcess target = targets.get(i);
                if (muted.contains(target.name())) {
                    continue;
                }
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
            HttpResponse<String> response = send(target, token, key, etag);
            if (response.statusCode() != 200 || response.body().contains("\"refused\"")) {
                failures.add(target.name() + " " + key + ": " + response.statusCode() + " " + response.body());
            }
            return response.body();
        }

        /** The status of a delivery of {@code key}'s event with {@code bearer} (none if null). */
        int status(FunctionProcess target, String bearer, String key) throws Exception {
            return send(target, bearer, key, "etag").statusCode();
        }

        private HttpResponse<String> send(FunctionProcess target, String bearer, String key, String etag)
                throws Exception {
            String notification = S3NotificationWriter.json(new ObjectCreated(BUCKET, key, etag, 0), "ObjectCreated:Put",
                    Instant.now(), LocalObjectStoreServer.REGION, sequence.incrementAndGet());
            HttpRequest.Builder request = HttpRequest.newBuilder(target.uri().resolve("/vertical"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(notification))
                    .timeout(Duration.ofSeconds(60));
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** From now on {@code target} hears no object event (the registry's round events still reach it). */
        void muteObjectEvents(FunctionProcess target) {
            muted.add(target.name());
        }

        /** Waits until every event delivered so far has been answered. */
        void drain() throws Exception {
            for (ExecutorService queue : queues) {
                queue.submit(() -> null).get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        }

        /** What a schedule sends the head (EventBridge Scheduler's input, a PingSource's data). */
        String sweep(FunctionProcess head) throws Exception {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(head.uri().resolve("/vertical"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sweep\": \"vertical-rounds\"}"))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return response.body();
        }

        List<String> failures() {
            return failures.stream().collect(Collectors.toList());
        }

        @Override
        public void close() {
            broker.stop(0);
            queues.forEach(ExecutorService::shutdownNow);
        }
    }
}
