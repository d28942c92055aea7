package io.meshfl.registry.round;

import java.util.List;

/** The winner's report: the new global model it wrote and which domains' updates went into it. */
public record Completion(String globalModelKey, String checksum, List<String> aggregatedFrom, String strategyStateKey) {
}
