package io.meshfl.training.vertical;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.registry.api.VerticalRoundView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The settings a deployment steps a vertical round with: the registry's round (its number, settings, PSI session and
 * the public keys it opened with, read with the function's own registry token), and the governance side's
 * {@code session.json} ({@link StoredVerticalSettings}) for what the registry does not hold (where each party's rows
 * are), checked on every read against the registry's round ({@link RegistryRoundCheck}). A round the registry has not
 * opened, or whose session disagrees with it, is refused with each disagreeing field named: parties and head step the
 * registry's round or none.
 */
@ApplicationScoped
public class RegistryVerticalSettings implements VerticalSettingsSource {

    private final StoredVerticalSettings stored;
    private final RegisteredVerticalRounds registry;

    RegistryVerticalSettings(ObjectStore store, RegisteredVerticalRounds registry) {
        this.stored = new StoredVerticalSettings(store);
        this.registry = registry;
    }

    @Override
    public Optional<PsiSessionSettings> session(String model, String session) {
        return stored.session(model, session);
    }

    @Override
    public Optional<RoundSettings> round(String model, int round) {
        VerticalRoundView registered = registry.round(model, round);
        RoundSettings settings = RoundSettings.of(registered);
        PsiSessionSettings session = stored.session(model, settings.session()).orElseThrow(() ->
                new VerticalRefusal("Vertical round " + round + " of model '" + model + "' trains on PSI session '"
                        + settings.session() + "', which is not declared (no session.json)"));
        List<String> disagreements = RegistryRoundCheck.disagreements(session, registered);
        if (!disagreements.isEmpty()) {
            throw new VerticalRefusal("Vertical round " + round + " of model '" + model + "': the stored PSI session"
                    + " disagrees with the registry's round, which is the one to step: "
                    + String.join("; ", disagreements));
        }
        return Optional.of(settings);
    }

    @Override
    public void requireWindows(String model, int round, int windows) {
        int registered = registry.round(model, round).windows();
        if (registered != windows) {
            throw new VerticalRefusal("Vertical round " + round + " of model '" + model + "': the registry declares "
                    + registered + " batch windows (training.windows), the PSI's aligned entities make " + windows
                    + " at this batch size");
        }
    }
}
