package io.meshfl.training.vertical;

import java.util.Optional;

/**
 * Where a deployment learns a vertical model's PSI sessions and rounds. Today the governance side stores them as
 * objects ({@link StoredVerticalSettings}); the registry's vertical models and rounds can take its place behind this
 * interface without touching the steps.
 */
public interface VerticalSettingsSource {

    /** The session's settings, or empty if none are declared (yet). */
    Optional<PsiSessionSettings> session(String model, String session);

    /** The round's settings, or empty if none are declared (yet). */
    Optional<RoundSettings> round(String model, int round);
}
