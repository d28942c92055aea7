package io.meshfl.training.vertical;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import java.io.IOException;
import java.util.Optional;

/**
 * The PSI session the governance side stored next to the vertical objects ({@code session.json}: where each party's
 * rows are, which the registry does not hold). Read strictly: an unknown field, a missing one or a bad value fails
 * with the key and the field named, and the event is not acted on. Not used alone in a deployment:
 * {@link RegistryVerticalSettings} checks it against the registry's round on every read.
 */
public class StoredVerticalSettings {

    static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .build();

    private final ObjectStore store;

    StoredVerticalSettings(ObjectStore store) {
        this.store = store;
    }

    /** The session's settings, or empty if none are stored (yet). */
    public Optional<PsiSessionSettings> session(String model, String session) {
        return read(ObjectKeys.psiSessionSettings(model, session), PsiSessionSettings.class)
                .map(s -> requireNamed(s, s.model().equals(model) && s.session().equals(session),
                        ObjectKeys.psiSessionSettings(model, session)));
    }

    private <T> Optional<T> read(String key, Class<T> type) {
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(store.read(key), type));
        } catch (IOException e) {
            throw new VerticalRefusal("'" + key + "' is not valid " + type.getSimpleName() + ": "
                    + (e.getCause() instanceof IllegalArgumentException cause ? cause.getMessage() : e.getMessage()), e);
        }
    }

    private static <T> T requireNamed(T settings, boolean matches, String key) {
        if (!matches) {
            throw new VerticalRefusal("'" + key + "' names another model, session or round than its key");
        }
        return settings;
    }
}
