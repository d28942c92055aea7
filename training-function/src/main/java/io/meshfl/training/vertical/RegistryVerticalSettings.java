package io.meshfl.training.vertical;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.registry.api.VerticalRoundView;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

/**
 * The settings a deployment steps a vertical round with: the governance side's objects ({@code session.json},
 * {@code round.json}, read by {@link StoredVerticalSettings}) for what the registry does not hold (the PSI session,
 * where each party's rows are, the public keys), checked on every read against the registry's round of the same
 * number for everything it does hold ({@link RegistryRoundCheck}). A round the registry has not opened, or whose stored
 * settings disagree with it, is refused with each disagreeing field named: parties and head step the registry's round
 * or none.
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
        Optional<RoundSettings> settings = stored.round(model, round);
        if (settings.isEmpty()) {
            return settings;
        }
        PsiSessionSettings session = stored.session(model, settings.get().session()).orElseThrow(() ->
                new VerticalRefusal("Vertical round " + round + " of model '" + model + "' names PSI session '"
                        + settings.get().session() + "', which is not declared"));
        VerticalRoundView registered = registry.round(model, round);
        List<String> disagreements = RegistryRoundCheck.disagreements(settings.get(), session, registered);
        if (!disagreements.isEmpty()) {
            throw new VerticalRefusal("Vertical round " + round + " of model '" + model + "': the stored settings"
                    + " disagree with the registry's round, which is the one to step: "
                    + String.join("; ", disagreements));
        }
        return settings;
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
