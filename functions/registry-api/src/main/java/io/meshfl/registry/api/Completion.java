package io.meshfl.registry.api;

import java.util.List;

/**
 * The result of aggregating a round ({@code POST /rounds/{roundId}/complete}); the registry opens the next round
 * in the same transaction. Repeating the same completion returns the same result.
 */
public record Completion(String globalModelKey, String checksum, List<String> aggregatedFrom,
        String strategyStateKey) {

    public Completion {
        aggregatedFrom = List.copyOf(aggregatedFrom);
    }
}
