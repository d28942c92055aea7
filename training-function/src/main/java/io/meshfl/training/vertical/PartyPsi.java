package io.meshfl.training.vertical;

import com.fasterxml.jackson.core.type.TypeReference;
import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.vertical.psi.BlindingKey;
import io.meshfl.vertical.psi.EntityAlignment;
import io.meshfl.vertical.psi.EntityKeys;
import io.meshfl.vertical.psi.PsiParty;
import io.meshfl.vertical.psi.PsiProgress;
import io.meshfl.vertical.step.AlignedLabels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A party's private set intersection across invocations. The function keeps nothing between events, so what
 * {@link PsiParty} holds in memory for a session is stored in the party's own prefix
 * ({@code domains/{party}/vertical/{model}/psi/{session}/}), which no other domain's policy can read:
 *
 * <ul>
 *   <li>{@code blinding-key}: the secret scalar, 32 bytes, written once ({@code If-None-Match: *}) so that concurrent
 *       first invocations agree on one scalar (two scalars would make a retried step write other bytes). Not the
 *       secrets module: that reads secrets a deployment provisions before start; this one is made per session, at
 *       run time, by the function.</li>
 *   <li>{@code alignment.json}: the party's rows in the common pseudonym order, once all fully blinded sets are in.</li>
 * </ul>
 *
 * The label owner of a model whose head is on the governance side also publishes its labels in the common order
 * ({@link ObjectKeys#psiSharedLabels}): pseudonyms and 0/1 labels, no entity key.
 */
final class PartyPsi {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ObjectStore store;
    private final PsiSessionSettings session;
    private final String party;

    PartyPsi(ObjectStore store, PsiSessionSettings session, String party) {
        this.store = store;
        this.session = session;
        this.party = party;
    }

    /** The stored alignment, or empty if the party has not aligned yet. */
    Optional<EntityAlignment> stored() {
        String key = alignmentKey();
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            Map<String, List<?>> json = StoredVerticalSettings.JSON.readValue(store.read(key),
                    new TypeReference<Map<String, List<?>>>() { });
            @SuppressWarnings("unchecked")
            List<String> pseudonyms = (List<String>) json.get("pseudonyms");
            List<Integer> rows = json.get("rows").stream().map(n -> ((Number) n).intValue()).toList();
            return Optional.of(new EntityAlignment(pseudonyms, rows));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("'" + key + "' is not an alignment this function wrote", e);
        }
    }

    /**
     * Does this party's PSI steps that are possible now; aligns and stores the alignment once every set is in. Once
     * aligned, it only makes sure the label owner's shared labels are published (a crash between the alignment and
     * the labels leaves them to the next event).
     */
    PsiProgress advance(PartyRows rows) {
        Optional<EntityAlignment> stored = stored();
        PsiProgress progress;
        if (stored.isPresent()) {
            progress = new PsiProgress.Aligned(stored.get());
        } else {
            EntityKeys keys;
            try {
                keys = EntityKeys.of(rows.keys());
            } catch (EntityKeys.DuplicateEntityKeyException e) {
                throw new VerticalRefusal("Party '" + party + "' of PSI session '" + session.session() + "': "
                        + e.getMessage(), e);
            }
            progress = new PsiParty(session.psi(), party, blindingKey(), keys).advance(store);
        }
        if (progress instanceof PsiProgress.Aligned aligned) {
            EntityAlignment alignment = aligned.alignment();
            if (stored.isEmpty()) {
                writeOnce(alignmentKey(), Map.of("pseudonyms", alignment.pseudonyms(), "rows", alignment.rows()));
            }
            String labels = ObjectKeys.psiSharedLabels(session.model(), session.session(), party);
            if (party.equals(session.labelOwner()) && session.labelsShared() && store.head(labels).isEmpty()) {
                AlignedLabels shared = rows.alignedLabels(alignment);
                writeOnce(labels, Map.of("pseudonyms", shared.pseudonyms(), "labels", shared.labels()));
            }
        }
        return progress;
    }

    /** The label owner's shared labels, as a governance-side head reads them; empty until published. */
    static Optional<AlignedLabels> sharedLabels(ObjectStore store, PsiSessionSettings session) {
        String key = ObjectKeys.psiSharedLabels(session.model(), session.session(), session.labelOwner());
        if (store.head(key).isEmpty()) {
            return Optional.empty();
        }
        try {
            SharedLabels json = StoredVerticalSettings.JSON.readValue(store.read(key), SharedLabels.class);
            return Optional.of(new AlignedLabels(json.pseudonyms(), json.labels()));
        } catch (IOException | IllegalArgumentException e) {
            throw new VerticalRefusal("'" + key + "' is not the label owner's labels: "
                    + e.getMessage(), e);
        }
    }

    record SharedLabels(List<String> pseudonyms, float[] labels) {
    }

    private BlindingKey blindingKey() {
        String key = ObjectKeys.domainPsiSession(party, session.model(), session.session()) + "blinding-key";
        if (store.head(key).isEmpty()) {
            writeOnce(key, BlindingKey.random(RANDOM).toBytes());
        }
        // Whoever won the conditional put, every invocation blinds with the stored scalar.
        return BlindingKey.fromBytes(store.read(key));
    }

    private String alignmentKey() {
        return ObjectKeys.domainPsiSession(party, session.model(), session.session()) + "alignment.json";
    }

    private void writeOnce(String key, Object json) {
        try {
            writeOnce(key, StoredVerticalSettings.JSON.writeValueAsBytes(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeOnce(String key, byte[] content) {
        Path file = null;
        try {
            file = Files.createTempFile("meshfl-vertical-", ".bin");
            Files.write(file, content);
            store.putIfAbsent(key, file, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException("Could not stage '" + key + "'", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // A leftover temporary file changes nothing stored.
                }
            }
        }
    }
}
