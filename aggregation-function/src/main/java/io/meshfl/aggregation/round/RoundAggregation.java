package io.meshfl.aggregation.round;

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
import io.meshfl.core.strategy.FlatModelWriter;
import io.meshfl.core.strategy.ServerState;
import io.meshfl.core.strategy.ServerStateFile;
import io.meshfl.core.strategy.Strategy;
import io.meshfl.registry.api.Completion;
import io.meshfl.registry.api.RoundView;
import io.meshfl.registry.api.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Makes round r's new global model from its accepted updates with the model's strategy (core), and writes it
 * where round r+1 trains from. Reads the round's global model, the accepted updates and the strategy state of
 * round r: updates are streamed from the object store while the strategy folds them ({@link StreamedInputs}) when
 * the strategy reads each update once, and downloaded first otherwise ({@link DownloadedInputs}); either way every
 * update's data SHA-256 must be the accepted one before anything is published. Writes the state for r+1 and then
 * the global model r+1, each with a conditional put ({@code If-None-Match: *}).
 *
 * <p>Exactly once: a global model r+1 already in place, aggregated from the same updates, is reported as it is and
 * never rewritten (a winner that died after writing it, or a randomised strategy such as DP-FedAvg, would
 * otherwise publish a second, different model). And never overwritten: a writer whose lease ran out while it worked
 * loses the conditional put to the one that took over, whatever it computed.
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
    /** An asynchronous model's buffer: each update's staleness, {@code domain:s,…} in domain order. */
    public static final String STALENESS = "staleness";

    private final ObjectStore store;

    RoundAggregation(ObjectStore store) {
        this.store = store;
    }

    /** How the updates are read: the function streams whenever the strategy allows; benchmarks compare both. */
    enum Reading { STREAM_WHEN_POSSIBLE, DOWNLOAD }

    /** Aggregates {@code accepted} (the close's list) of {@code round}; returns what to report to the registry. */
    public Completion aggregate(RoundView round, List<UpdateView> accepted, LocalCopies copies, PhaseTimes times) {
        return aggregate(round, accepted, Map.of(), copies, times, Reading.STREAM_WHEN_POSSIBLE);
    }

    /**
     * Folds a closed buffer of an asynchronous model ({@link BufferedInputs}); {@code bases} are the rounds its
     * updates trained from, by number.
     */
    public Completion aggregateBuffer(RoundView buffer, List<UpdateView> accepted, Map<Integer, RoundView> bases,
            LocalCopies copies, PhaseTimes times) {
        return aggregate(buffer, accepted, bases, copies, times, Reading.DOWNLOAD);
    }

    Completion aggregate(RoundView round, List<UpdateView> accepted, LocalCopies copies, PhaseTimes times,
            Reading reading) {
        return aggregate(round, accepted, Map.of(), copies, times, reading);
    }

    private Completion aggregate(RoundView round, List<UpdateView> accepted, Map<Integer, RoundView> bases,
            LocalCopies copies, PhaseTimes times, Reading reading) {
        if (accepted.isEmpty()) {
            throw new RoundCannotBeAggregated("round " + round.number() + " of '" + round.model()
                    + "' was closed without accepted updates");
        }
        Strategy strategy = RoundStrategy.of(round);
        List<UpdateView> inputs = accepted.stream().sorted(Comparator.comparing(UpdateView::domain)).toList();
        List<String> domains = inputs.stream().map(UpdateView::domain).toList();
        Keys keys = new Keys(round.model(), round.number(), baseVersion(round));
        Optional<Completion> written = alreadyWritten(keys, domains, copies, times);
        if (written.isPresent()) {
            LOG.infof("Global model %s was already written from %s; reporting it as it is", keys.global(), domains);
            return written.get();
        }
        ServerState state = previousState(keys, copies, times);
        Path output = copies.file("next.safetensors");
        Aggregated aggregated;
        boolean buffered = round.policy() != null && round.policy().isAsync();
        try (RoundInputs read = buffered ? BufferedInputs.open(round, inputs, bases, copies, times)
                : strategy.readsUpdatesOnce() && reading == Reading.STREAM_WHEN_POSSIBLE
                ? StreamedInputs.open(store, round, inputs, strategy, copies, times)
                : DownloadedInputs.open(round, inputs, copies, times)) {
            aggregated = times.time(Phase.AGGREGATE, () -> run(strategy, round, inputs, read, state, output));
            // Streamed updates were hashed as they arrived: nothing computed from them is published unless they
            // were the accepted ones.
            read.verifyUnchanged(times);
        }
        Path stateFile = copies.file("state.safetensors");
        boolean stateful = !aggregated.outcome().state().isEmpty();
        if (stateful) {
            times.time(Phase.AGGREGATE, () -> ServerStateFile.write(stateFile, aggregated.outcome().state()));
        }
        boolean published = times.time(Phase.WRITE, () -> {
            if (stateful) {
                // Before the model, so whoever reads global r+1 finds its state; an earlier attempt's stays.
                store.putIfAbsent(keys.state(), stateFile, Map.of());
            }
            return store.putIfAbsent(keys.global(), output, Map.of()).isPresent();
        });
        if (!published) {
            // Another writer got there first: a holder whose lease ran out meanwhile, or the one that took over from
            // it. A conditional put never overwrites, so its model stands; this attempt reports it only if it is the
            // same round's model from the same updates, and otherwise leaves the round to the registry's verdict.
            return alreadyWritten(keys, domains, copies, times).orElseThrow(() -> new IllegalStateException(
                    keys.global() + " was published meanwhile by another writer from other updates than " + domains
                            + "; it stands, and the registry keeps the first completion"));
        }
        LOG.infof("Round %d of %s aggregated with %s from %s: %s", round.number(), round.model(), strategy.name(),
                domains, aggregated.outcome().report());
        return new Completion(keys.global(), aggregated.sha256(), domains, stateful ? keys.state() : null);
    }

    /**
     * The version of the global model round r trains from: r, unless a round before it failed and the next one
     * reopened on the same model (then fewer). Its strategy state is the one to continue from.
     */
    private static int baseVersion(RoundView round) {
        return ObjectKeys.globalModelVersion(round.model(), round.globalModelKey()).orElse(round.number());
    }

    /** Where round r's outputs go, and the state of the global model version it starts from. */
    private record Keys(String model, int round, int baseVersion) {

        String global() {
            return ObjectKeys.globalModel(model, round + 1);
        }

        String state() {
            return ObjectKeys.strategyState(model, round + 1);
        }

        String previousState() {
            return ObjectKeys.strategyState(model, baseVersion);
        }
    }

    private record Aggregated(String sha256, AggregationOutcome outcome) {
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
            throw new UncheckedIOException(e);
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
    private static Aggregated run(Strategy strategy, RoundView round, List<UpdateView> inputs, RoundInputs read,
            ServerState state, Path output) throws IOException {
        ModelManifest manifest = read.manifest();
        Map<String, Integer> staleness = read instanceof BufferedInputs buffer ? buffer.staleness() : Map.of();
        Map<String, String> placeholder = metadata(round, inputs, strategy, staleness, "0".repeat(64), Map.of());
        // Reports are short (counts, ε, selected ids); reserve room for them in the header.
        placeholder.put("report", " ".repeat(4096));
        AggregationOutcome[] outcome = new AggregationOutcome[1];
        try (SafetensorsWriter writer = SafetensorsWriter.create(output, manifest.tensors(), placeholder)) {
            try {
                outcome[0] = strategy.aggregate(read.input(), state, new FlatModelWriter(writer));
                read.writeIntegerTensors(writer);
            } catch (CannotAggregate e) {
                // Too few updates for Krum's bound, a state of another strategy, the privacy budget spent. Any
                // other exception is a bug or broken infrastructure: it propagates and the close is retried.
                throw new RoundCannotBeAggregated("strategy '" + strategy.name() + "': " + e.getMessage());
            }
            String sha256 = writer.finish(hash -> metadata(round, inputs, strategy, staleness, hash,
                    outcome[0].report()));
            return new Aggregated(sha256, outcome[0]);
        }
    }

    private static Map<String, String> metadata(RoundView round, List<UpdateView> inputs, Strategy strategy,
            Map<String, Integer> staleness, String sha256, Map<String, String> report) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MODEL, round.model());
        metadata.put(ROUND, Integer.toString(round.number() + 1));
        metadata.put(AGGREGATED_FROM, String.join(",", inputs.stream().map(UpdateView::domain).toList()));
        metadata.put(STRATEGY, strategy.name());
        metadata.put(SHA256, sha256);
        if (!staleness.isEmpty()) {
            metadata.put(STALENESS, String.join(",", staleness.entrySet().stream()
                    .map(entry -> entry.getKey() + ":" + entry.getValue()).toList()));
        }
        new TreeMap<>(report).forEach((key, value) -> metadata.put("report." + key, value));
        return metadata;
    }

}
