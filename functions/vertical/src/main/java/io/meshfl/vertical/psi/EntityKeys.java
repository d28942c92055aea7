package io.meshfl.vertical.psi;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A party's entity keys, one per row of its data, in row order. A key names one entity, so it must be unique:
 * a duplicate is refused rather than silently dropped, because which of the two rows should be aligned is a data
 * quality question only the owning domain can answer.
 */
public record EntityKeys(List<String> keys) {

    public EntityKeys {
        keys = List.copyOf(keys);
        Map<String, Integer> firstRow = new HashMap<>();
        for (int row = 0; row < keys.size(); row++) {
            Integer earlier = firstRow.putIfAbsent(keys.get(row), row);
            if (earlier != null) {
                throw new DuplicateEntityKeyException(earlier, row);
            }
        }
    }

    public static EntityKeys of(List<String> keys) {
        return new EntityKeys(keys);
    }

    public int size() {
        return keys.size();
    }

    public String get(int row) {
        return keys.get(row);
    }

    /** Refused input: two rows with the same entity key. Names rows, not the key, so logs never carry an id. */
    public static final class DuplicateEntityKeyException extends IllegalArgumentException {

        private final int firstRow;
        private final int duplicateRow;

        DuplicateEntityKeyException(int firstRow, int duplicateRow) {
            super("Entity keys must be unique: row " + duplicateRow + " repeats the key of row " + firstRow
                    + " (0-based); deduplicate the entity key column before the private set intersection");
            this.firstRow = firstRow;
            this.duplicateRow = duplicateRow;
        }

        public int firstRow() {
            return firstRow;
        }

        public int duplicateRow() {
            return duplicateRow;
        }
    }
}
