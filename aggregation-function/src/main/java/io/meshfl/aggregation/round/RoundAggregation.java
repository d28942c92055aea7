package io.meshfl.aggregation.round;

import com.fasterxml.jackson.databind.JsonNode;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.work.LocalCopies;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.objectstore.StoredObject;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsFormatException;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.strategy.AggregationOutcome;
import io.meshfl.core.strategy.CannotAggregate;
import io.meshfl.core.strategy.ClientUpdate;
import io.meshfl.core.strategy.DifferentialPrivacy;
import io.meshfl.core.strategy.FlatModelReader;
import io.meshfl.core.strategy.FlatModelWriter;
import io.meshfl.core.strategy.InvalidStrategyException;
import io.meshfl.core.strategy.RoundInput;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.core.strategy.StrategyFactory;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Makes round r's new global model from its accepted updates with the model's strategy (core), and writes it
 * where round r+1 trains from. Reads the round's global model, the accepted updates (checking each is still the
 * file that was accepted) and the strategy state of round r; writes the state for r+1 and the global model r+1,
 * each first under {@code models/{m}/tmp/} and then copied to its final key, the state before the model.
 *
 * <p>Exactly once: a global model r+1 already in place, aggregated from the same updates, is reported as it is and
 * never rewritten (a winner that died after writing it, or a randomised strategy such as DP-FedAvg, would
 * otherwise publish a second, different model). Deterministic strategies rewrite the same bytes anyway: inputs go
 * in domain order and the metadata holds nothing that varies between attempts.
 */
@ApplicationScoped
public class RoundAggregation {

    private static final Logger LOG = Logger.getLogger(RoundAggregation.class);

    /** {@code __metadata__} keys of a global model this function writes; the strategy's report follows as report.*. */
    public static final String MODEL = "model";
    public static final String ROUND = "round";
    public static final String AGGREGATED_FROM = "aggregated_from";
    public static final String STRATEGY = "strategy";
    public static final String SHA256 = "sha256";

    private final ObjectStore store;

    RoundAggregation(ObjectStore store) {
        this.store = store;
    }

    /** Aggregates {@code accepted} (the close's list) of {@code round}; returns what to report to the registry. */
    public Completion aggregate(RoundView round, List<UpdateView> accepted, LocalCopies copies, PhaseTimes times) {
        if (accepted.isEmpty()) {
            throw new RoundCannotBeAggregated("round " + round.number() + " of '" + round.model()
                    + "' was closed without accepted updates");
        }
        Strategy strategy = strategy(round);
        List<UpdateView> inputs = accepted.stream().sorted(Comparator.comparing(UpdateView::domain)).toList();
        List<String> domains = inputs.stream().map(UpdateView::domain).toList();
        Keys keys = new Keys(round.model(), round.number());
        Optional<Completion> written = alreadyWritten(keys, domains, copies, times);
        if (written.isPresent()) {
            LOG.infof("Global model %s was already written from %s; reporting it as it is", keys.global(), domains);
            return written.get();
        }
        List<String> objects = new ArrayList<>();
        objects.add(round.globalModelKey());
        inputs.forEach(update -> objects.add(update.objectKey()));
        List<Path> files = times.time(Phase.READ, () -> copies.fetchAll(objects));
        Path global = files.get(0);
        List<Path> updates = files.subList(1, files.size());
        checkUnchanged(inputs, updates, times);
        ServerState state = previousState(keys, copies, times);
        Path output = copies.file("next.safetensors");
        Aggregated aggregated = times.time(Phase.AGGREGATE, () -> run(strategy, round, inputs, global, updates,
                state, output));
        Path stateFile = copies.file("state.safetensors");
        boolean stateful = !aggregated.outcome().state().isEmpty();
        if (stateful) {
            times.time(Phase.AGGREGATE, () -> ServerStateFile.write(stateFile, aggregated.outcome().state()));
        }
        String attempt = UUID.randomUUID().toString();
        times.time(Phase.WRITE, () -> {
            if (stateful) {
                promote(stateFile, keys.temporaryState(attempt), keys.state());
            }
            promote(output, keys.temporaryGlobal(attempt), keys.global());
            removeTemporaries(keys);
        });
        LOG.infof("Round %d of %s aggregated with %s from %s: %s", round.number(), round.model(), strategy.name(),
                domains, aggregated.outcome().report());
        return new Completion(keys.global(), aggregated.sha256(), domains, stateful ? keys.state() : null);
    }

    /** Where round r's outputs go. */
    private record Keys(String model, int round) {

        String global() {
            return ObjectKeys.globalModel(model, round + 1);
        }

        String state() {
            return ObjectKeys.strategyState(model, round + 1);
        }

        String previousState() {
            return ObjectKeys.strategyState(model, round);
        }

        String temporaryPrefix() {
            return ObjectKeys.scratchPrefix(model, round + 1);
        }

        String temporaryGlobal(String attempt) {
            return temporaryPrefix() + attempt + "-global.safetensors";
        }

        String temporaryState(String attempt) {
            return temporaryPrefix() + attempt + "-state.safetensors";
        }
    }

    private record Aggregated(String sha256, AggregationOutcome outcome) {
    }

    private static Strategy strategy(RoundView round) {
        if (round.strategy() == null || round.strategy().name() == null) {
            throw new RoundCannotBeAggregated("model '" + round.model() + "' names no strategy");
        }
        Map<String, Number> params = new LinkedHashMap<>();
        JsonNode json = round.strategy().params();
        if (json != null) {
            for (var field : (Iterable<Map.Entry<String, JsonNode>>) json::fields) {
                if (!field.getValue().isNumber()) {
                    throw new RoundCannotBeAggregated("parameter '" + field.getKey() + "' of strategy '"
                            + round.strategy().name() + "' is not a number: " + field.getValue());
                }
                params.put(field.getKey(), field.getValue().numberValue());
            }
        }
        try {
            Strategy strategy = StrategyFactory.create(round.strategy().name(), params);
            return privacy(round).map(settings -> (Strategy) DifferentialPrivacy.around(strategy, settings))
                    .orElse(strategy);
        } catch (InvalidStrategyException e) {
            throw new RoundCannotBeAggregated("model '" + round.model() + "': " + e.getMessage());
        }
    }

    /**
     * The policy's server-side differential privacy: present when {@code policy.dp} sets a noise multiplier (a
     * clip norm alone is the domains' local clipping, applied by the training function).
     */
    private static Optional<DifferentialPrivacy.Settings> privacy(RoundView round) {
        RoundView.DifferentialPrivacy dp = round.policy() == null ? null : round.policy().dp();
        if (dp == null || dp.noiseMultiplier() == null) {
            return Optional.empty();
        }
        if (dp.clipNorm() == null) {
            throw new InvalidStrategyException("policy.dp.clipNorm", "policy.dp sets a noise multiplier without the "
                    + "clip norm that calibrates it");
        }
        return Optional.of(new DifferentialPrivacy.Settings(dp.clipNorm(), dp.noiseMultiplier(), 1.0,
                dp.delta() == null ? 1e-5 : dp.delta(),
                dp.epsilonBudget() == null ? Double.POSITIVE_INFINITY : dp.epsilonBudget()));
    }

    /** The global model r+1 if a previous attempt already put it in place from the same updates. */
    private Optional<Completion> alreadyWritten(Keys keys, List<String> domains, LocalCopies copies,
            PhaseTimes times) {
        Optional<StoredObject> existing = times.time(Phase.READ, () -> store.head(keys.global()));
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        Path file = times.time(Phase.READ, () -> copies.fetch(keys.global()));
        try (SafetensorsReader reader = SafetensorsReader.open(file)) {
            Map<String, String> metadata = reader.metadata();
            String sha256 = reader.dataSha256();
            boolean same = String.join(",", domains).equals(metadata.get(AGGREGATED_FROM))
                    && Integer.toString(keys.round() + 1).equals(metadata.get(ROUND))
                    && sha256.equals(metadata.get(SHA256));
            if (!same) {
                LOG.warnf("%s exists but was not aggregated from %s (metadata %s); aggregating again", keys.global(),
                        domains, metadata);
                return Optional.empty();
            }
            boolean stateful = store.head(keys.state()).isPresent();
            return Optional.of(new Completion(keys.global(), sha256, domains, stateful ? keys.state() : null));
        } catch (SafetensorsFormatException e) {
            LOG.warnf("%s exists but is not valid safetensors (%s); aggregating again", keys.global(), e.getMessage());
            return Optional.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void checkUnchanged(List<UpdateView> inputs, List<Path> files, PhaseTimes times) {
        for (int i = 0; i < inputs.size(); i++) {
            UpdateView update = inputs.get(i);
            Path file = files.get(i);
            String sha256 = times.time(Phase.VALIDATE, () -> {
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    return reader.dataSha256();
                } catch (SafetensorsFormatException e) {
                    return "unreadable (" + e.getMessage() + ")";
                }
            });
            // The registry holds what was validated; an object replaced since then is not that update.
            if (!sha256.equals(update.sha256())) {
                throw new RoundCannotBeAggregated("update '" + update.objectKey() + "' of domain '" + update.domain()
                        + "' changed after it was accepted: its data SHA-256 is " + sha256 + ", accepted "
                        + update.sha256());
            }
        }
    }

    private ServerState previousState(Keys keys, LocalCopies copies, PhaseTimes times) {
        if (times.time(Phase.READ, () -> store.head(keys.previousState())).isEmpty()) {
            return ServerState.empty();
        }
        Path file = times.time(Phase.READ, () -> copies.fetch(keys.previousState()));
        return times.time(Phase.READ, () -> ServerStateFile.read(file));
    }

    /**
     * Streams the updates through the strategy into {@code output}; the data's SHA-256 and the strategy's report
     * go into the model's metadata once the data is written (the header was reserved with a placeholder).
     */
    private static Aggregated run(Strategy strategy, RoundView round, List<UpdateView> inputs, Path global,
            List<Path> files, ServerState state, Path output) throws IOException {
        List<SafetensorsReader> readers = new ArrayList<>();
        try (SafetensorsReader globalReader = SafetensorsReader.open(global)) {
            ModelManifest manifest = globalReader.manifest();
            List<ClientUpdate> clients = new ArrayList<>();
            for (int i = 0; i < inputs.size(); i++) {
                SafetensorsReader reader = SafetensorsReader.open(files.get(i));
                readers.add(reader);
                clients.add(new ClientUpdate(inputs.get(i).domain(), inputs.get(i).numExamples(),
                        new FlatModelReader(reader, manifest)));
            }
            RoundInput input = new RoundInput(new FlatModelReader(globalReader, manifest), clients);
            Map<String, String> placeholder = metadata(round, inputs, strategy, "0".repeat(64), Map.of());
            // Reports are short (counts, ε, selected ids); reserve room for them in the header.
            placeholder.put("report", " ".repeat(4096));
            AggregationOutcome[] outcome = new AggregationOutcome[1];
            try (SafetensorsWriter writer = SafetensorsWriter.create(output, manifest.tensors(), placeholder)) {
                try {
                    outcome[0] = strategy.aggregate(input, state, new FlatModelWriter(writer));
                } catch (CannotAggregate e) {
                    // Too few updates for Krum's bound, a state of another strategy, the privacy budget spent. Any
                    // other exception is a bug or broken infrastructure: it propagates and the close is retried.
                    throw new RoundCannotBeAggregated("strategy '" + strategy.name() + "': " + e.getMessage());
                }
                String sha256 = writer.finish(hash -> metadata(round, inputs, strategy, hash, outcome[0].report()));
                return new Aggregated(sha256, outcome[0]);
            }
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    private static Map<String, String> metadata(RoundView round, List<UpdateView> inputs, Strategy strategy,
            String sha256, Map<String, String> report) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MODEL, round.model());
        metadata.put(ROUND, Integer.toString(round.number() + 1));
        metadata.put(AGGREGATED_FROM, String.join(",", inputs.stream().map(UpdateView::domain).toList()));
        metadata.put(STRATEGY, strategy.name());
        metadata.put(SHA256, sha256);
        new java.util.TreeMap<>(report).forEach((key, value) -> metadata.put("report." + key, value));
        return metadata;
    }

    private void promote(Path file, String temporaryKey, String finalKey) {
        store.put(temporaryKey, file, Map.of());
        store.copy(temporaryKey, finalKey);
    }

    /** This attempt's and any dead attempt's temporary objects for round r+1. */
    private void removeTemporaries(Keys keys) {
        store.list(keys.temporaryPrefix()).forEach(o -> store.delete(o.key()));
    }
}
