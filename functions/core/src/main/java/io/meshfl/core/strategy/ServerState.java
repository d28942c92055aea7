package io.meshfl.core.strategy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a strategy carries from one round to the next (momentum, Adam moments, privacy spent): scalars as strings
 * and model-sized vectors. Always an explicit input and output of {@link Strategy#aggregate}: functions are
 * stateless, and {@link ServerStateFile} persists it beside the global model.
 */
public record ServerState(Map<String, String> values, Map<String, float[]> vectors) {

    /** Key naming the strategy that wrote the state, so a state is never fed to another strategy. */
    public static final String STRATEGY = "strategy";

    public ServerState {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        vectors = Collections.unmodifiableMap(new TreeMap<>(vectors));
    }

    public static ServerState empty() {
        return new ServerState(Map.of(), Map.of());
    }

    public boolean isEmpty() {
        return values.isEmpty() && vectors.isEmpty();
    }

    /** The state of strategy {@code name}, checked: empty if nothing was stored yet. */
    public ServerState requireStrategy(String name, long parameterCount) {
        if (isEmpty()) {
            return this;
        }
        String writer = values.get(STRATEGY);
        if (!name.equals(writer)) {
            throw new CannotAggregate.StateMismatch("server state was written by strategy '" + writer + "', not '" + name + "'");
        }
        vectors.forEach((key, vector) -> {
            if (vector.length != parameterCount) {
                throw new CannotAggregate.StateMismatch("server state vector '" + key + "' has " + vector.length
                        + " values, the model " + parameterCount);
            }
        });
        return this;
    }

    /** A state for strategy {@code name}. */
    public static ServerState of(String name, Map<String, String> values, Map<String, float[]> vectors) {
        Map<String, String> all = new LinkedHashMap<>(values);
        all.put(STRATEGY, name);
        return new ServerState(all, vectors);
    }

    public double number(String key, double fallback) {
        String value = values.get(key);
        return value == null ? fallback : Double.parseDouble(value);
    }
}
