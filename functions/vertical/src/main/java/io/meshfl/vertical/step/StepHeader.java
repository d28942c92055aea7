package io.meshfl.vertical.step;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an embedding or gradient object says it is, in its signed {@code __metadata__}: which model, round, window and
 * party, which kind of tensor, and the digest of the window's entities. The signature covers all of it, so an object
 * cannot be replayed into another window, round or party, nor an embedding passed off as a gradient.
 */
public record StepHeader(String kind, String model, int round, int window, String party, String batch) {

    public static final String EMBEDDING = "embedding";
    public static final String GRADIENT = "embedding_grad";

    Map<String, String> toMap() {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("kind", kind);
        map.put("model", model);
        map.put("round", Integer.toString(round));
        map.put("window", Integer.toString(window));
        map.put("party", party);
        map.put("batch", batch);
        return map;
    }
}
