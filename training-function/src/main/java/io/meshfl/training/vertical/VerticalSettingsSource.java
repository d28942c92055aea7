package io.meshfl.training.vertical;

import java.util.Optional;

/**
 * Where a deployment learns a vertical model's PSI sessions and rounds: {@link RegistryVerticalSettings}, the
 * registry's rounds, with the governance side's {@code session.json} ({@link StoredVerticalSettings}) checked against
 * them.
 */
public interface VerticalSettingsSource {

    /** The session's settings, or empty if none are declared (yet). */
    Optional<PsiSessionSettings> session(String model, String session);

    /** The round's settings as the registry opened it; refused ({@link VerticalRefusal}) if it has not. */
    Optional<RoundSettings> round(String model, int round);

    /**
     * Refuses ({@link VerticalRefusal}) a round whose window plan has another number of windows than the round's
     * declared number: every party and the head must step the same windows.
     */
    void requireWindows(String model, int round, int windows);
}
