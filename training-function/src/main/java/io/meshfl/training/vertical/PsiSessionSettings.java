package io.meshfl.training.vertical;

import io.meshfl.core.keys.ObjectKeys;
import io.meshfl.core.keys.ResourceId;
import io.meshfl.vertical.psi.PsiSession;
import io.meshfl.vertical.step.VerticalRound;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A vertical model's private set intersection, as the governance side declares it
 * ({@code models/{model}/vrounds/psi/{session}/session.json}, version 1): the parties, where each party's rows are (a
 * CSV under its own {@code domains/{party}/} prefix, an entity-key column, every other column a numeric feature but
 * the label), which party owns the labels and who runs the head ({@code governance}: labels shared; else the label
 * owner itself).
 */
public record PsiSessionSettings(int version, String model, String session, String headOwner, String labelOwner,
                                 Map<String, PartyData> parties) {

    /** Where one party's rows are; {@code label} only for the label owner. */
    public record PartyData(String rows, String entityKey, String label) {
    }

    public PsiSessionSettings {
        String where = "PSI session settings '" + ObjectKeys.psiSessionSettings(model, session) + "'";
        if (version != 1) {
            throw new IllegalArgumentException(where + ": version must be 1, got " + version);
        }
        ResourceId.require(model, "model");
        ResourceId.require(session, "PSI session");
        if (parties == null || parties.size() < 2) {
            throw new IllegalArgumentException(where + ": a vertical model needs at least two parties");
        }
        parties = new TreeMap<>(parties);
        for (Map.Entry<String, PartyData> party : parties.entrySet()) {
            ResourceId.require(party.getKey(), "party");
            PartyData data = party.getValue();
            if (data == null || data.rows() == null || data.entityKey() == null || data.entityKey().isBlank()) {
                throw new IllegalArgumentException(where + ": party '" + party.getKey()
                        + "' needs 'rows' and 'entityKey'");
            }
            // A party can read only its own prefix; a location elsewhere would be another domain's data.
            if (!data.rows().startsWith(ObjectKeys.domainPrefix(party.getKey())) || data.rows().contains("..")) {
                throw new IllegalArgumentException(where + ": party '" + party.getKey() + "' rows '" + data.rows()
                        + "' must be under '" + ObjectKeys.domainPrefix(party.getKey()) + "'");
            }
            if ((data.label() != null) != party.getKey().equals(labelOwner)) {
                throw new IllegalArgumentException(where + ": exactly the label owner '" + labelOwner
                        + "' names a 'label' column (party '" + party.getKey() + "')");
            }
        }
        if (labelOwner == null || !parties.containsKey(labelOwner)) {
            throw new IllegalArgumentException(where + ": labelOwner '" + labelOwner + "' must be one of the parties "
                    + parties.keySet());
        }
        if (!VerticalRound.GOVERNANCE.equals(headOwner) && !labelOwner.equals(headOwner)) {
            throw new IllegalArgumentException(where + ": headOwner must be '" + VerticalRound.GOVERNANCE
                    + "' (labels shared) or the label owner '" + labelOwner + "', got '" + headOwner + "'");
        }
    }

    public PsiSession psi() {
        return new PsiSession(model, session, List.copyOf(parties.keySet()));
    }

    public boolean labelsShared() {
        return VerticalRound.GOVERNANCE.equals(headOwner);
    }
}
