package io.meshfl.vertical.psi;

import io.meshfl.vertical.hashtocurve.P256HashToCurve;
import io.meshfl.core.keys.ResourceId;
import java.util.List;

/**
 * One private set intersection among the parties of a vertical model: its id, the parties (domains, or the
 * governance side) and the fixed order in which they blind each other's sets.
 *
 * <p>The parties are kept sorted, so every party derives the same ring from the same set of ids: the set of the
 * party at index i is blinded first by its owner, then by the parties at i+1, i+2, … (mod n). After n steps it carries
 * every party's secret scalar exactly once.
 */
public record PsiSession(String model, String session, List<String> parties) {

    public PsiSession {
        ResourceId.require(model, "model");
        ResourceId.require(session, "PSI session");
        if (parties == null || parties.size() < 2) {
            throw new IllegalArgumentException("A private set intersection needs at least two parties, got "
                    + (parties == null ? "none" : parties));
        }
        parties.forEach(party -> ResourceId.require(party, "party"));
        if (parties.stream().distinct().count() != parties.size()) {
            throw new IllegalArgumentException("PSI parties must be distinct, got " + parties);
        }
        parties = parties.stream().sorted().toList();
    }

    /**
     * The hash-to-curve domain separation tag: names MeshFL, the model and the session, so the same entity key hashes
     * to unrelated points in another model or session and blinded sets of two sessions cannot be linked.
     */
    public String dst() {
        return "MeshFL-V01-PSI:" + model + ":" + session + ":" + P256HashToCurve.SUITE;
    }

    /** How many blinding steps make a set fully blinded: one per party. */
    public int steps() {
        return parties.size();
    }

    /** The party that applies blinding step {@code step} (1-based) to {@code owner}'s set. */
    public String blinder(String owner, int step) {
        if (step < 1 || step > steps()) {
            throw new IllegalArgumentException("Blinding steps are 1.." + steps() + ", got " + step);
        }
        return parties.get((indexOf(owner) + step - 1) % parties.size());
    }

    public int indexOf(String party) {
        int index = parties.indexOf(party);
        if (index < 0) {
            throw new IllegalArgumentException("'" + party + "' is not a party of PSI session '" + session
                    + "' of model '" + model + "' (parties: " + parties + ")");
        }
        return index;
    }
}
