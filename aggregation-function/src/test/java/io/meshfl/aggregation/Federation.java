package io.meshfl.aggregation;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.Dtype;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.core.strategy.ModelAggregator;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.update.DomainKeyPair;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.testing.DataProductDescriptors;
import io.meshfl.testing.RegistryProcess;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A small federation set up through the real registry's API and the real object store, with ids unique to each
 * test: a model whose global model 1 is uploaded, its domains (each with an Ed25519 key pair whose public half the
 * registry holds), their data products and enrolments, and round 1 open. Writes signed updates as a domain's
 * training function would.
 */
final class Federation {

    /** Two tensors, 2×3 and 2: small enough to check aggregates by hand. */
    static final ModelManifest MANIFEST = new ModelManifest(List.of(
            TensorSpec.of("01Linear_weight", Dtype.F32, 2, 3),
            TensorSpec.of("01Linear_bias", Dtype.F32, 2)));

    private static final String PURPOSE = "churn-prediction";
    /** The records every domain's data product declares: the most examples one of its updates may claim. */
    static final long RECORDS = 1_000;

    final String model;
    /** Short domain name used by the test → registry domain id (domain ids are global, so each test gets its own). */
    private final Map<String, String> domainIds = new LinkedHashMap<>();
    final Map<String, DomainKeyPair> keys = new LinkedHashMap<>();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    private final RegistryProcess registry;
    private final ObjectStore store;
    private final Path scratch;
    long roundId;

    private Federation(RegistryProcess registry, ObjectStore store) {
        this.registry = registry;
        this.store = store;
        this.model = "m-" + suffix;
        try {
            this.scratch = Files.createTempDirectory("federation-" + model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A model with the given strategy and policy, its domains enrolled, global model 1 stored and round 1 open with
     * the global model's checksum recorded.
     */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, int minDomains,
            double maxUpdateNorm, ModelWeights global, String... domains) {
        return open(registry, store, strategy, "{}", minDomains, maxUpdateNorm, global, domains);
    }

    /** As above, with the strategy's parameters as a JSON object. */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String params,
            int minDomains, double maxUpdateNorm, ModelWeights global, String... domains) {
        return open(registry, store, strategy, params, "null", minDomains, maxUpdateNorm, global, domains);
    }

    /** As above, with the policy's differential-privacy settings ({@code policy.dp}) as a JSON object. */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String params, String dp,
            int minDomains, double maxUpdateNorm, ModelWeights global, String... domains) {
        return open(registry, store, strategy, params, """
                {"minDomains": %d, "maxDomains": 10, "roundDeadlineSeconds": 3600, "maxUpdateNorm": %s, "dp": %s}
                """.formatted(minDomains, maxUpdateNorm, dp), global, domains);
    }

    /** As above, with the policy's {@code resubmit}. */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String params, String dp,
            boolean resubmit, int minDomains, double maxUpdateNorm, ModelWeights global, String... domains) {
        return open(registry, store, strategy, params, """
                {"minDomains": %d, "maxDomains": 10, "roundDeadlineSeconds": 3600, "maxUpdateNorm": %s, "dp": %s,
                 "resubmit": %s}
                """.formatted(minDomains, maxUpdateNorm, dp, resubmit), global, domains);
    }

    /** As above, with the whole policy as a JSON object (an asynchronous model's, say). */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String params, String policy,
            ModelWeights global, String... domains) {
        return open(registry, store, strategy, params, policy, global.manifest(), federation -> federation.putGlobal(global),
                domains);
    }

    /**
     * As above, with global model 1 written by {@code global} (tensors of any dtype, {@code manifest}'s layout):
     * F64 weights and I64 counters, which {@link ModelWeights} (float values) cannot carry exactly.
     */
    static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String policy,
            ModelManifest manifest, UpdateWriter.Content global, String... domains) {
        return open(registry, store, strategy, "{}", policy, manifest, federation -> {
            Path file = federation.scratch.resolve("global-1.safetensors");
            try (SafetensorsWriter writer = SafetensorsWriter.create(file, manifest.tensors(),
                    Map.of("model", federation.model, "round", "1"))) {
                global.writeInto(writer);
                writer.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store.put(federation.globalKey(1), file, Map.of());
        }, domains);
    }

    private static Federation open(RegistryProcess registry, ObjectStore store, String strategy, String params,
            String policy, ModelManifest manifest, java.util.function.Consumer<Federation> putGlobal,
            String... domains) {
        Federation federation = new Federation(registry, store);
        federation.createModel(strategy, params, policy, manifest);
        for (String domain : domains) {
            federation.enrol(domain);
        }
        putGlobal.accept(federation);
        // Recorded as governance records it, so that every reader checks the global model against the registry.
        String checksum = federation.globalSha256(1);
        federation.roundId = federation.asGovernance().contentType(ContentType.JSON)
                .body(Map.of("globalModelChecksum", checksum))
                .post("/models/" + federation.model + "/rounds").then().statusCode(201)
                .extract().jsonPath().getLong("roundId");
        return federation;
    }

    static ModelWeights weights(float... values) {
        return new ModelWeights(MANIFEST, List.of(java.util.Arrays.copyOfRange(values, 0, 6),
                java.util.Arrays.copyOfRange(values, 6, 8)));
    }

    /** The registry id of the test's domain {@code name}. */
    String domain(String name) {
        String id = domainIds.get(name);
        if (id == null) {
            throw new IllegalArgumentException("No domain '" + name + "' in this federation");
        }
        return id;
    }

    String updateKey(int round, String domain) {
        return "models/" + model + "/rounds/" + round + "/updates/" + domain(domain) + ".safetensors";
    }

    String globalKey(int version) {
        return "models/" + model + "/global/" + version + ".safetensors";
    }

    /** A domain's signed update of round 1 stored at its key, as its training function writes it. */
    StoredObject putUpdate(String domain, ModelWeights weights, long numExamples) {
        return putUpdate(domain, 1, weights, numExamples);
    }

    /** A domain's signed update of {@code round} stored at its key. */
    StoredObject putUpdate(String domain, int round, ModelWeights weights, long numExamples) {
        return store.put(updateKey(round, domain), writeUpdate(domain, round, weights, numExamples), Map.of());
    }

    /** Writes a domain's signed update of {@code round} to a local file, as its training function does. */
    Path writeUpdate(String domain, int round, ModelWeights weights, long numExamples) {
        Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
        try {
            new UpdateWriter(keys.get(domain).signer()).write(file, weights, metadata(domain, round, numExamples));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A domain's signed update of round 1 whose tensors (any dtype, {@code manifest}'s layout) {@code content} writes. */
    StoredObject putUpdate(String domain, ModelManifest manifest, UpdateWriter.Content content, long numExamples) {
        Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
        try {
            new UpdateWriter(keys.get(domain).signer()).write(file, manifest.tensors(), content,
                    metadata(domain, 1, numExamples));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store.put(updateKey(1, domain), file, Map.of());
    }

    /** Uploads a written update to its key, as the last step of a domain's training function. */
    StoredObject upload(String domain, int round, Path file) {
        return store.put(updateKey(round, domain), file, Map.of());
    }

    /** The metadata a domain's training function writes for round {@code baseRound}. */
    UpdateMetadata metadata(String domain, long baseRound, long numExamples) {
        return UpdateMetadata.unsigned(model, domain(domain), baseRound, globalSha256(baseRound), numExamples,
                "{\"loss\":0.5,\"accuracy\":0.75}");
    }

    /** The data SHA-256 of global model {@code version} as stored (zeros if there is none): an update's base. */
    String globalSha256(long version) {
        String key = globalKey((int) version);
        if (store.head(key).isEmpty()) {
            return "0".repeat(64);
        }
        Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
        store.download(key, file);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            return reader.dataSha256();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Any file at any key, signed by {@code signer} (null: left unsigned) — for the bad updates. */
    StoredObject putUpdate(String key, ModelWeights weights, UpdateMetadata metadata, UpdateSigner signer) {
        Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
        try {
            if (signer == null) {
                weights.write(file, metadata.toMap());
            } else {
                new UpdateWriter(signer).write(file, weights, metadata);
            }
            return store.put(key, file, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A domain's update carrying the data's SHA-256 but no signature, as a client that skips signing writes it. */
    StoredObject putUnsigned(String domain, ModelWeights weights, long numExamples) {
        Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
        UpdateMetadata unsigned = metadata(domain, 1, numExamples);
        Map<String, String> placeholder = new LinkedHashMap<>(unsigned.toMap());
        placeholder.put(UpdateMetadata.SHA256, "0".repeat(64));
        try (SafetensorsWriter writer = SafetensorsWriter.create(file, weights.manifest().tensors(), placeholder)) {
            weights.writeInto(writer);
            writer.finish(sha256 -> {
                Map<String, String> metadata = new LinkedHashMap<>(unsigned.toMap());
                metadata.put(UpdateMetadata.SHA256, sha256);
                return metadata;
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return store.put(updateKey(1, domain), file, Map.of());
    }

    /** Stores raw bytes at {@code key} (a truncated file, say). */
    StoredObject putBytes(String key, byte[] content) {
        return store.put(key, content, Map.of());
    }

    byte[] signedUpdateBytes(String domain, ModelWeights weights, long numExamples) {
        try {
            return Files.readAllBytes(writeUpdate(domain, 1, weights, numExamples));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every key under this model's prefix, in key order. */
    List<String> listKeys() {
        return store.list("models/" + model + "/").stream().map(StoredObject::key).toList();
    }

    ModelWeights readGlobal(int version) {
        Path file = scratch.resolve("global-" + version + "-" + UUID.randomUUID() + ".safetensors");
        store.download(globalKey(version), file);
        try {
            return ModelWeights.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The documented S3 notification (Lambda docs) naming {@code object}, its key URL-encoded as S3 sends it. */
    static ObjectNode event(StoredObject object) {
        return DocumentedEvents.s3Notification("aws-s3-notification.json",
                URLEncoder.encode(object.key(), StandardCharsets.UTF_8), object.etag());
    }

    /** The registry's view of a round (governance token). */
    JsonPath round(long id) {
        return asGovernance().get("/rounds/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The round's registered updates, by domain. */
    List<Map<String, Object>> updates(long id) {
        return asGovernance().get("/rounds/" + id + "/updates").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    JsonPath currentRound() {
        return asGovernance().get("/models/" + model + "/rounds/current").then().statusCode(200).extract().jsonPath();
    }

    /** The registry's record of global model {@code round}: key, checksum, aggregatedFrom, producedByRound. */
    Map<String, Object> version(int round) {
        return versions().stream().filter(v -> ((Number) v.get("round")).intValue() == round).findFirst()
                .orElseThrow(() -> new AssertionError("No version " + round + " of " + model + ": " + versions()));
    }

    /**
     * What core's {@link ModelAggregator} makes of round {@code round}'s stored updates of {@code domains} with
     * {@code strategy} and no server state: the data SHA-256 of its output.
     */
    String coreAggregate(Strategy strategy, int round, List<String> domains) {
        Path global = scratch.resolve(UUID.randomUUID() + "-global.safetensors");
        store.download(globalKey(round), global);
        return coreAggregate(strategy, global, round, domains, ServerState.empty(),
                scratch.resolve(UUID.randomUUID() + "-out.safetensors")).sha256();
    }

    /**
     * Core's {@link ModelAggregator} on round {@code round}'s stored updates of {@code domains}, from the global model
     * file {@code global} and {@code state}, into {@code output}: the single aggregator's model and state.
     */
    ModelAggregator.Result coreAggregate(Strategy strategy, Path global, int round, List<String> domains,
            ServerState state, Path output) {
        try {
            List<ModelAggregator.UpdateFile> updates = new java.util.ArrayList<>();
            for (String name : domains) {
                Path file = scratch.resolve(UUID.randomUUID() + ".safetensors");
                store.download(updateKey(round, name), file);
                long examples;
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    examples = Long.parseLong(reader.metadata().get(UpdateMetadata.NUM_EXAMPLES));
                }
                updates.add(new ModelAggregator.UpdateFile(domain(name), file, examples));
            }
            return ModelAggregator.aggregate(strategy, global, updates, state, output, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The stored object {@code key}, downloaded to a new local file. */
    Path download(String key) {
        Path file = scratch.resolve(UUID.randomUUID() + "-" + key.substring(key.lastIndexOf('/') + 1));
        store.download(key, file);
        return file;
    }

    /** The {@code __metadata__} of global model {@code version} as stored. */
    Map<String, String> globalMetadata(int version) {
        Path file = scratch.resolve("global-" + version + "-" + UUID.randomUUID() + ".safetensors");
        store.download(globalKey(version), file);
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Map<String, String> metadata = new LinkedHashMap<>(reader.metadata());
            metadata.put("data-sha256", reader.dataSha256());
            return metadata;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Map<String, Object>> versions() {
        return asGovernance().get("/models/" + model + "/versions").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private void createModel(String strategy, String params, String policy, ModelManifest manifest) {
        String layers = manifest.tensors().stream()
                .map(t -> "{\"name\": \"%s\", \"shape\": %s}".formatted(t.name(), t.shape()))
                .collect(java.util.stream.Collectors.joining(", "));
        asGovernance().contentType(ContentType.JSON).body("""
                {"id": "%s", "purpose": "%s",
                 "architecture": {"layers": [%s]},
                 "strategy": {"name": "%s", "params": %s},
                 "policy": %s,
                 "training": {"localEpochs": 1, "batchSize": 16, "learningRate": 0.05, "optimizer": "sgd", "seed": 7}}
                """.formatted(model, PURPOSE, layers, strategy, params, policy))
                .post("/models").then().statusCode(201);
    }

    private void enrol(String name) {
        String domain = name + "-" + suffix;
        domainIds.put(name, domain);
        DomainKeyPair pair = DomainKeyPair.generate();
        keys.put(name, pair);
        String product = domain + "-churn";
        asGovernance().contentType(ContentType.JSON).body("""
                {"id": "%s", "name": "Domain %s", "owner": "data@%s.example.org", "publicKey": "%s"}
                """.formatted(domain, name, name, pair.publicKeyBase64()))
                .post("/domains").then().statusCode(201);
        asDomain(domain).contentType("application/yaml")
                .body(DataProductDescriptors.churn(product, domain, "1.0.0", PURPOSE, RECORDS)
                        .getBytes(StandardCharsets.UTF_8))
                .post("/data-products").then().statusCode(201);
        asGovernance().contentType(ContentType.JSON)
                .body("{\"domain\": \"%s\", \"dataProduct\": \"%s\"}".formatted(domain, product))
                .post("/models/" + model + "/enrolments").then().statusCode(201);
    }

    private void putGlobal(ModelWeights global) {
        Path file = scratch.resolve("global-1.safetensors");
        try {
            global.write(file, Map.of("model", model, "round", "1"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        store.put(globalKey(1), file, Map.of());
    }

    RequestSpecification asGovernance() {
        return given().baseUri(registry.baseUrl().toString()).header("Authorization", "Bearer " + registry.issuer().governance());
    }

    private RequestSpecification asDomain(String domain) {
        return given().baseUri(registry.baseUrl().toString())
                .header("Authorization", "Bearer " + registry.issuer().domain(domain));
    }
}
