package io.meshfl.vertical.psi;

import io.meshfl.core.objectstore.ObjectStore;
import io.meshfl.vertical.hashtocurve.P256;
import io.meshfl.vertical.hashtocurve.P256HashToCurve;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * One party of an ECDH private set intersection (semi-honest model), exchanging its sets through the object store.
 *
 * <ol>
 *   <li>The party hashes each of its entity keys to P-256 ({@link P256HashToCurve}, the session's DST), multiplies by
 *       its secret scalar k and writes the points sorted by their encoding (step 1). Sorting hides its row order: the
 *       order depends on k, which only the party knows, so only it can map positions back to rows.</li>
 *   <li>Every other party in turn multiplies each point of that set by its own scalar, keeping the order, and writes
 *       the result as the next step ({@link PsiSession#blinder}). After n steps the set is k1·k2·…·kn·H(key) for
 *       each key: the same point for the same key whoever owns it, since scalar multiplication commutes.</li>
 *   <li>Each party reads all n fully blinded sets, names each point by its pseudonym (SHA-256 of its compressed
 *       encoding), keeps those in every set, and maps its own positions back to its rows.</li>
 * </ol>
 *
 * <p>{@link #advance} does whatever this party can do now and is safe to call any number of times, concurrently with
 * the other parties and again after a crash or a duplicated event: each output is a function of its input and k, so a
 * repeated step writes the same bytes, and a step already written is skipped.
 */
public final class PsiParty {

    private final PsiSession session;
    private final String party;
    private final BlindingKey key;
    private final EntityKeys entities;
    private final P256HashToCurve hash;
    /** The party's step-1 set and, for each of its positions, the row it came from (computed once). */
    private BlindedSet published;
    private int[] rowAt;

    public PsiParty(PsiSession session, String party, BlindingKey key, EntityKeys entities) {
        session.indexOf(party);
        this.session = session;
        this.party = party;
        this.key = key;
        this.entities = entities;
        this.hash = new P256HashToCurve(session.dst());
    }

    public String party() {
        return party;
    }

    /** Performs every step this party can perform now, then aligns if all fully blinded sets are present. */
    public PsiProgress advance(ObjectStore store) {
        Set<String> missing = new LinkedHashSet<>();
        for (String owner : session.parties()) {
            for (int step = 1; step <= session.steps(); step++) {
                if (!session.blinder(owner, step).equals(party)) {
                    continue;
                }
                String target = PsiKeys.blindedSet(session, owner, step);
                if (store.head(target).isPresent()) {
                    continue;
                }
                if (step == 1) {
                    store.put(target, publishedSet().encode(), Map.of());
                    continue;
                }
                String input = PsiKeys.blindedSet(session, owner, step - 1);
                if (store.head(input).isEmpty()) {
                    missing.add(input);
                    continue;
                }
                store.put(target, reblind(BlindedSet.decode(store.read(input), input)).encode(), Map.of());
            }
        }
        for (String owner : session.parties()) {
            String full = PsiKeys.blindedSet(session, owner, session.steps());
            if (store.head(full).isEmpty()) {
                missing.add(full);
            }
        }
        return missing.isEmpty() ? new PsiProgress.Aligned(align(store)) : new PsiProgress.Waiting(List.copyOf(missing));
    }

    private EntityAlignment align(ObjectStore store) {
        Map<String, Integer> ownPositions = new HashMap<>();
        Set<String> common = null;
        for (String owner : session.parties()) {
            String full = PsiKeys.blindedSet(session, owner, session.steps());
            BlindedSet set = BlindedSet.decode(store.read(full), full);
            List<String> pseudonyms = set.points().stream().map(PsiParty::pseudonym).toList();
            if (owner.equals(party)) {
                if (set.size() != entities.size()) {
                    throw new IllegalStateException("'" + full + "' has " + set.size() + " points but party '" + party
                            + "' published " + entities.size() + ": a blinding step dropped or added points");
                }
                for (int position = 0; position < pseudonyms.size(); position++) {
                    ownPositions.put(pseudonyms.get(position), position);
                }
            }
            Set<String> distinct = new HashSet<>(pseudonyms);
            common = common == null ? distinct : retain(common, distinct);
        }
        List<String> order = common.stream().sorted().toList();
        int[] rows = rowAtPosition();
        List<Integer> ownRows = order.stream().map(pseudonym -> rows[ownPositions.get(pseudonym)]).toList();
        return new EntityAlignment(order, ownRows);
    }

    private static Set<String> retain(Set<String> common, Set<String> next) {
        common.retainAll(next);
        return common;
    }

    private BlindedSet reblind(BlindedSet input) {
        // Parallel: a scalar multiplication is ~1 ms on a busy core and a set holds every key; order is kept.
        return new BlindedSet(input.points().parallelStream()
                .map(point -> P256.compress(key.blind(P256.decompress(point))))
                .toList());
    }

    private synchronized BlindedSet publishedSet() {
        if (published == null) {
            List<byte[]> blinded = entities.keys().parallelStream()
                    .map(entity -> P256.compress(key.blind(hash.hashToCurve(entity.getBytes(StandardCharsets.UTF_8)))))
                    .toList();
            Integer[] positions = IntStream.range(0, blinded.size()).boxed().toArray(Integer[]::new);
            Arrays.sort(positions, Comparator.comparing(blinded::get, Arrays::compareUnsigned));
            rowAt = Arrays.stream(positions).mapToInt(Integer::intValue).toArray();
            published = new BlindedSet(Arrays.stream(positions).map(blinded::get).toList());
        }
        return published;
    }

    private int[] rowAtPosition() {
        publishedSet();
        return rowAt;
    }

    /** An entity's federation-wide name: SHA-256 of its fully blinded point, in hex. */
    static String pseudonym(byte[] fullyBlindedPoint) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(fullyBlindedPoint));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime provides SHA-256", e);
        }
    }
}
