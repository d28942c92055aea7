package io.meshfl.registry.round;

/** The object-store layout every function agrees on (docs/registry-api.md, Rounds and keys). */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** The global model version n: the base of round n, written by the aggregation of round n-1. */
    public static String globalModel(String model, int version) {
        return "models/" + model + "/global/" + version + ".safetensors";
    }

    public static String update(String model, int round, String domain) {
        return "models/" + model + "/rounds/" + round + "/updates/" + domain + ".safetensors";
    }
}
