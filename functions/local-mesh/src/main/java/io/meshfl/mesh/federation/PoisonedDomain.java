package io.meshfl.mesh.federation;

import io.meshfl.core.event.UpdateKey;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelWeights;
import io.meshfl.core.update.UpdateMetadata;
import io.meshfl.core.update.UpdateSigner;
import io.meshfl.core.update.UpdateWriter;
import io.meshfl.mesh.evaluation.GlobalModels;
import io.meshfl.mesh.evaluation.RoundTrainer;
import io.meshfl.registry.api.RegistryClient;
import io.meshfl.registry.api.RoundView;
import java.util.function.Supplier;
import io.meshfl.training.dataproduct.TabularData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code --poison DOMAIN}: an enrolled domain turned attacker (a Byzantine participant). Each round it trains
 * honestly on its own rows, then sends the update flipped and scaled, w = g − {@value #SCALE}·(w_honest − g),
 * validly signed with its own key and written where its honest update would go, so the aggregation function sees
 * an ordinary, authentic update. FedAvg averages it in; median, trimmed mean and Krum are built to resist it.
 */
public final class PoisonedDomain implements Participant {

    public static final double SCALE = 10;

    private final String domain;
    private final Supplier<RegistryClient> registry;
    private final ObjectStore store;
    private final GlobalModels globals;
    private final RoundTrainer trainer;
    private final TabularData rows;
    private final UpdateWriter writer;
    private final Path workDir;

    /** @param registry the registry as this domain sees it (its own token, renewed: asked for at every round) */
    public PoisonedDomain(String domain, Supplier<RegistryClient> registry, ObjectStore store, GlobalModels globals,
                          RoundTrainer trainer, TabularData rows, String privateKeyBase64, Path workDir) {
        this.domain = domain;
        this.registry = registry;
        this.store = store;
        this.globals = globals;
        this.trainer = trainer;
        this.rows = rows;
        this.writer = new UpdateWriter(UpdateSigner.fromPkcs8Base64(privateKeyBase64));
        this.workDir = workDir;
    }

    /** The attack: {@code start − SCALE · (honest − start)}, the honest step reversed and magnified. */
    public static ModelWeights poison(ModelWeights honest, ModelWeights start) {
        return honest.towards(start, -SCALE);
    }

    @Override
    public String domain() {
        return domain;
    }

    @Override
    public Outcome takePart(String model, int roundNumber) {
        // Like the training function, the attacker trains for the round open now.
        RoundView round = registry.get().currentRound(model).orElseThrow(() -> new IllegalStateException(
                "Model " + model + " has no open round"));
        int number = round.number();
        String key = new UpdateKey(model, number, domain).key();
        if (store.head(key).isPresent()) {
            return new Outcome(domain, 200, key + " exists already");
        }
        try {
            String globalKey = round.globalModelKey();
            ModelWeights global = globals.read(globalKey);
            ModelWeights poisoned = poison(trainer.train(global, rows, number), global);
            Files.createDirectories(workDir);
            Path file = workDir.resolve("poisoned-" + number + ".safetensors");
            writer.write(file, new ModelWeights(global.manifest(), poisoned.values()), UpdateMetadata.unsigned(model, domain,
                    number, globals.sha256(globalKey), trainer.examples(rows, number), "{}"));
            store.put(key, file, Map.of());
            Files.deleteIfExists(file);
            return new Outcome(domain, 201, key);
        } catch (IOException | RuntimeException e) {
            return new Outcome(domain, 0, "the poisoned update could not be written: " + e);
        }
    }
}
