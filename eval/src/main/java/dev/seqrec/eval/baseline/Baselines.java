package dev.seqrec.eval.baseline;

import dev.seqrec.eval.NextItemScorer;
import dev.seqrec.eval.data.SequenceDataset;
import java.util.List;

/** The model-free scorers seqrec ships, by name. */
public final class Baselines {
    /** Names accepted by {@link #fit}. */
    public static final List<String> NAMES = List.of(PopularityScorer.NAME);

    private Baselines() {
    }

    /** Fits the baseline called {@code name} on {@code dataset}'s training part. */
    public static NextItemScorer fit(String name, SequenceDataset dataset) {
        if (name.equals(PopularityScorer.NAME)) {
            return PopularityScorer.fit(dataset);
        }
        throw new IllegalArgumentException("unknown model '" + name + "'; known baselines: " + String.join(", ", NAMES));
    }
}
