package io.meshfl.vertical.psi;

import java.util.List;

/**
 * What a private set intersection gives one party: its own rows of the entities every party holds, in the
 * federation's common order. Position i is the same entity at every party: {@code pseudonyms.get(i)} is its
 * pseudonym (the same string everywhere), {@code rows.get(i)} this party's own row for it. The common order is the
 * pseudonyms' ascending order, which no party chooses and which reveals nothing about the keys.
 */
public record EntityAlignment(List<String> pseudonyms, List<Integer> rows) {

    public EntityAlignment {
        pseudonyms = List.copyOf(pseudonyms);
        rows = List.copyOf(rows);
        if (pseudonyms.size() != rows.size()) {
            throw new IllegalArgumentException("An alignment needs one row per pseudonym, got " + pseudonyms.size()
                    + " pseudonyms and " + rows.size() + " rows");
        }
    }

    /** How many entities all parties share. */
    public int size() {
        return rows.size();
    }
}
