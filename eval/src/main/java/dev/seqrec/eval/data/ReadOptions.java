package dev.seqrec.eval.data;

import java.util.Optional;

/**
 * How to read a dataset file.
 *
 * @param format              the file's layout; empty = chosen by the file's extension
 * @param minUserInteractions k-core filter: users with fewer interactions are removed, repeatedly together with
 *                            {@code minItemInteractions}, until nothing changes (mclrec-spec 1.2); 0 = off
 * @param minItemInteractions k-core filter for items; 0 = off
 */
public record ReadOptions(Optional<DatasetFormat> format, int minUserInteractions, int minItemInteractions) {
    /** Format by extension, no filter. */
    public static final ReadOptions DEFAULTS = new ReadOptions(Optional.empty(), 0, 0);
    /** The reference's k-core threshold for users and items. */
    public static final int REFERENCE_K_CORE = 5;

    public ReadOptions {
        if (minUserInteractions < 0 || minItemInteractions < 0) {
            throw new IllegalArgumentException("k-core thresholds must be >= 0, got users " + minUserInteractions
                    + ", items " + minItemInteractions);
        }
    }

    public ReadOptions withFormat(DatasetFormat explicit) {
        return new ReadOptions(Optional.of(explicit), minUserInteractions, minItemInteractions);
    }

    public ReadOptions withKCore(int minUser, int minItem) {
        return new ReadOptions(format, minUser, minItem);
    }

    boolean filters() {
        return minUserInteractions > 1 || minItemInteractions > 1;
    }
}
