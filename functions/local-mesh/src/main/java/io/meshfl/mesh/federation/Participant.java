package io.meshfl.mesh.federation;

/**
 * A domain taking part in a round: normally its scheduler triggering its training function; with {@code --poison}
 * one domain is an attacker that writes its own (poisoned, but validly signed) update instead; {@code --straggler}
 * and {@code --fail} wrap either.
 */
public interface Participant {

    /**
     * What the domain's action answered: 2xx with a body, or the failure; {@code absent} when the domain did not
     * take part on purpose (switched off, or it missed the round), which is no error.
     */
    record Outcome(String domain, int status, String body, boolean absent) {

        public Outcome(String domain, int status, String body) {
            this(domain, status, body, false);
        }

        /** The domain did not take part, for the reason given. */
        public static Outcome absent(String domain, String reason) {
            return new Outcome(domain, 0, reason, true);
        }

        public boolean succeeded() {
            return !absent && status / 100 == 2;
        }

        /** The domain tried and its action failed (not an absence). */
        public boolean failed() {
            return !absent && !succeeded();
        }
    }

    String domain();

    /** Takes part in round {@code round} of the model, the round open when the driver started it. */
    Outcome takePart(String model, int round);
}
