package io.meshfl.aggregation.round;

import io.meshfl.aggregation.AggregationConfig;
import io.meshfl.aggregation.PhaseTimes;
import io.meshfl.aggregation.PhaseTimes.Phase;
import io.meshfl.aggregation.work.ScratchDirectory;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.core.safetensors.ModelManifest;
import io.meshfl.core.safetensors.SafetensorsReader;
import io.meshfl.core.safetensors.SafetensorsWriter;
import io.meshfl.core.safetensors.TensorSpec;
import io.meshfl.runtime.registry.Completion;
import io.meshfl.runtime.registry.RoundView;
import io.meshfl.runtime.registry.UpdateView;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Makes round r's new global model from its accepted updates and writes it where round r+1 trains from:
 * downloads the updates (checking each is still the file that was accepted), streams them through the model's
 * strategy, uploads the result under {@code models/{m}/tmp/} and then copies it to
 * {@code models/{m}/global/{r+1}.safetensors}. The same accepted updates always give the same bytes (inputs in
 * domain order, deterministic metadata), so a takeover after a crash rewrites exactly what a finished run wrote.
 */
@ApplicationScoped
public class RoundAggregation {

    /** Metadata keys of a global model MeshFL writes. */
    public static final String MODEL = "model";
    public static final String ROUND = "round";
    public static final String AGGREGATED_FROM = "aggregated_from";
    public static final String STRATEGY = "strategy";
    public static final String SHA256 = "sha256";

    private static final int CHUNK = 1 << 16;

    private final ObjectStore store;
    private final AggregationConfig config;

    RoundAggregation(ObjectStore store, AggregationConfig config) {
        this.store = store;
        this.config = config;
    }

    /** Aggregates {@code accepted} (the close's list) of {@code round}; returns what to report to the registry. */
    public Completion aggregate(RoundView round, List<UpdateView> accepted, PhaseTimes times) {
        if (accepted.isEmpty()) {
            throw new RoundCannotBeAggregated("round " + round.number() + " of '" + round.model()
                    + "' was closed without accepted updates");
        }
        String strategy = round.strategy() == null ? "fedavg" : round.strategy().name();
        if (!"fedavg".equals(strategy)) {
            throw new RoundCannotBeAggregated("strategy '" + strategy + "' of model '" + round.model()
                    + "' is not available in this function");
        }
        List<UpdateView> inputs = accepted.stream().sorted(Comparator.comparing(UpdateView::domain)).toList();
        int next = round.number() + 1;
        String globalKey = "models/" + round.model() + "/global/" + next + ".safetensors";
        String attempt = UUID.randomUUID().toString();
        String tmpKey = "models/" + round.model() + "/tmp/global-" + next + "-" + attempt + ".safetensors";
        try (ScratchDirectory scratch = ScratchDirectory.under(config.workDir())) {
            List<Path> files = download(inputs, scratch, times);
            Path output = scratch.file("global-" + next + ".safetensors");
            String checksum = times.time(Phase.AGGREGATE, () -> fedAvg(round, next, inputs, files, output));
            times.time(Phase.WRITE, () -> {
                store.put(tmpKey, output, Map.of());
                store.copy(tmpKey, globalKey);
                removeTemporaries(round.model(), next);
            });
            return new Completion(globalKey, checksum, inputs.stream().map(UpdateView::domain).toList(), null);
        }
    }

    private List<Path> download(List<UpdateView> inputs, ScratchDirectory scratch, PhaseTimes times) {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            UpdateView update = inputs.get(i);
            Path file = scratch.file("update-" + i + ".safetensors");
            times.time(Phase.READ, () -> store.download(update.objectKey(), file));
            String sha256 = times.time(Phase.VALIDATE, () -> {
                try (SafetensorsReader reader = SafetensorsReader.open(file)) {
                    return reader.dataSha256();
                }
            });
            if (update.sha256() != null && !update.sha256().equals(sha256)) {
                throw new RoundCannotBeAggregated("update '" + update.objectKey() + "' of domain '" + update.domain()
                        + "' changed after it was accepted (data SHA-256 " + sha256 + ", accepted "
                        + update.sha256() + ")");
            }
            files.add(file);
        }
        return files;
    }

    /**
     * Example-weighted mean of the updates, one chunk of every tensor at a time: O(model) memory whatever the
     * number of updates. Returns the SHA-256 of the written data.
     */
    private String fedAvg(RoundView round, int next, List<UpdateView> inputs, List<Path> files, Path output)
            throws IOException {
        List<SafetensorsReader> readers = new ArrayList<>();
        try {
            for (Path file : files) {
                readers.add(SafetensorsReader.open(file));
            }
            ModelManifest manifest = readers.get(0).manifest();
            double total = inputs.stream().mapToLong(UpdateView::numExamples).sum();
            double[] weights = inputs.stream().mapToDouble(u -> u.numExamples() / total).toArray();
            Map<String, String> metadata = metadata(round, next, inputs, "fedavg", "0".repeat(64));
            try (SafetensorsWriter writer = SafetensorsWriter.create(output, manifest.tensors(), metadata)) {
                float[] chunk = new float[CHUNK];
                double[] sum = new double[CHUNK];
                for (TensorSpec tensor : manifest.tensors()) {
                    long count = tensor.elementCount();
                    for (long from = 0; from < count; from += CHUNK) {
                        int length = (int) Math.min(CHUNK, count - from);
                        java.util.Arrays.fill(sum, 0, length, 0);
                        for (int k = 0; k < readers.size(); k++) {
                            readers.get(k).readFloats(tensor.name(), from, chunk, 0, length);
                            for (int i = 0; i < length; i++) {
                                sum[i] += weights[k] * chunk[i];
                            }
                        }
                        for (int i = 0; i < length; i++) {
                            chunk[i] = (float) sum[i];
                        }
                        writer.writeFloats(tensor.name(), from, chunk, 0, length);
                    }
                }
                return writer.finish(sha256 -> metadata(round, next, inputs, "fedavg", sha256));
            }
        } finally {
            for (SafetensorsReader reader : readers) {
                reader.close();
            }
        }
    }

    private static Map<String, String> metadata(RoundView round, int next, List<UpdateView> inputs, String strategy,
            String sha256) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(MODEL, round.model());
        metadata.put(ROUND, Integer.toString(next));
        metadata.put(AGGREGATED_FROM, String.join(",", inputs.stream().map(UpdateView::domain).toList()));
        metadata.put(STRATEGY, strategy);
        metadata.put(SHA256, sha256);
        return metadata;
    }

    /** This attempt's and any crashed attempt's temporary objects for version {@code next}. */
    private void removeTemporaries(String model, int next) {
        store.list("models/" + model + "/tmp/global-" + next + "-").forEach(o -> store.delete(o.key()));
    }
}
