package io.meshfl.mesh.federation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rounds this data directory has run, one JSON line each ({@code DATA_DIR/rounds.jsonl}): what only the run
 * that drove a round saw (its wall time) next to what the registry also knows. A resumed demo reads it so its
 * summary covers every round, not only those of the last run.
 */
public final class RoundLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public RoundLog(Path file) {
        this.file = file;
    }

    public void append(RoundOutcome outcome) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, JSON.writeValueAsString(outcome) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to " + file, e);
        }
    }

    /**
     * Every round recorded, by round number (a failed round before its retry); a round recorded twice (a retried
     * run) keeps its last record.
     */
    public List<RoundOutcome> read() {
        if (!Files.exists(file)) {
            return List.of();
        }
        Map<Long, RoundOutcome> rounds = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    RoundOutcome outcome = JSON.readValue(line, RoundOutcome.class);
                    if (outcome.roundId() == 0) {
                        throw new IllegalStateException(file + " was written by an older MeshFL (its rounds have no"
                                + " registry ids); run with --fresh");
                    }
                    rounds.put(outcome.roundId(), outcome);
                }
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(file + " is damaged (" + e.getOriginalMessage() + "); run with --fresh", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        List<RoundOutcome> ordered = new ArrayList<>(rounds.values());
        ordered.sort(Comparator.comparingInt(RoundOutcome::round).thenComparingLong(RoundOutcome::roundId));
        return ordered;
    }
}
