package io.meshfl.vertical.psi;

import io.meshfl.core.objectstore.ObjectStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Drives a PSI session for tests as the object-store events would: every party advances in turn until all are
 * aligned. Each party's secret scalar comes from a seeded generator, so a failing case reproduces.
 */
public final class PsiRun {

    private PsiRun() {
    }

    public static Map<String, PsiParty> parties(PsiSession session, Map<String, List<String>> keysByParty, long seed) {
        Random random = new Random(seed);
        Map<String, PsiParty> parties = new LinkedHashMap<>();
        keysByParty.forEach((party, keys) -> parties.put(party, new PsiParty(session, party,
                BlindingKey.fromBytes(new BigInteger(250, random).add(BigInteger.ONE).toByteArray()),
                EntityKeys.of(keys))));
        return parties;
    }

    /**
     * Advances the parties round-robin until every one is aligned. The ring needs n steps per set, so n + 1 sweeps
     * always suffice; more means the protocol is stuck.
     */
    public static Map<String, EntityAlignment> untilAligned(ObjectStore store, Map<String, PsiParty> parties) {
        Map<String, EntityAlignment> aligned = new LinkedHashMap<>();
        List<String> lastMissing = new ArrayList<>();
        for (int sweep = 0; sweep <= parties.size() && aligned.size() < parties.size(); sweep++) {
            for (PsiParty party : parties.values()) {
                PsiProgress progress = party.advance(store);
                if (progress instanceof PsiProgress.Aligned done) {
                    aligned.put(party.party(), done.alignment());
                } else if (progress instanceof PsiProgress.Waiting waiting) {
                    lastMissing = waiting.missing();
                }
            }
        }
        if (aligned.size() < parties.size()) {
            throw new AssertionError("PSI did not finish in " + (parties.size() + 1) + " sweeps; still missing "
                    + lastMissing);
        }
        return aligned;
    }

    /** Each party's aligned entity keys, in the common order (what the test can check against the plain sets). */
    public static Map<String, List<String>> alignedKeys(Map<String, EntityAlignment> alignments,
            Map<String, List<String>> keysByParty) {
        Map<String, List<String>> result = new LinkedHashMap<>();
        alignments.forEach((party, alignment) -> result.put(party,
                alignment.rows().stream().map(keysByParty.get(party)::get).toList()));
        return result;
    }
}
