package io.meshfl.mesh.federation;

/**
 * A domain taking part in a round: normally its scheduler triggering its training function; with {@code --poison}
 * one domain is an attacker that writes its own (poisoned, but validly signed) update instead.
 */
public interface Participant {

    /** What the domain's action answered: 2xx with a body, or the failure. */
    record Outcome(String domain, int status, String body) {

        public boolean succeeded() {
            return status / 100 == 2;
        }
    }

    String domain();

    /** Takes part in the model's current round. */
    Outcome takePart(String model);
}
