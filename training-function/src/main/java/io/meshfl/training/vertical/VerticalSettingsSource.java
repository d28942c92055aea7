package io.meshfl.training.vertical;

import java.util.Optional;

/**
 * Where a deployment learns a vertical model's PSI sessions and rounds: {@link RegistryVerticalSettings}, the
 * governance side's objects ({@link StoredVerticalSettings}) checked against the registry's rounds.
 */
public interface VerticalSettingsSource {

    /** The session's settings, or empty if none are declared (yet). */
    Optional<PsiSessionSettings> session(String model, String session);

    /** The round's settings, or empty if none are declared (yet). */
    Optional<RoundSettings> round(String model, int round);

    /**
     * Refuses ({@link VerticalRefusal}) a round whose window plan has another number of windows than the round's
     * declared number: every party and the head must step the same windows.
     */
    void requireWindows(String model, int round, int windows);
}
