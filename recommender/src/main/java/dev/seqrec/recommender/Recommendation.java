package dev.seqrec.recommender;

import dev.seqrec.recommender.model.ScoredItem;
import java.util.List;

/**
 * An answer: the items best first, the model version that produced it, and how.
 *
 * @param items        recommended items in original ids with their scores, best first: the model's score, the
 *                     training count for the popularity fallback, the cosine for similar items; at most k, fewer where
 *                     exclusions or a small catalogue leave fewer (similar items never include the item itself)
 * @param modelVersion version of the model that answered (also for fallbacks, which use its popularity counts)
 * @param fallback     {@code null} when the model scored the history, {@value #POPULARITY} when there was no
 *                     usable history (unknown user, empty history, or only unknown items)
 * @param unknownItems items of the given history that the model does not know, skipped, in order of appearance
 */
public record Recommendation(List<ScoredItem> items, String modelVersion, String fallback, List<String> unknownItems) {
    public static final String POPULARITY = "popularity";

    public Recommendation {
        items = List.copyOf(items);
        unknownItems = List.copyOf(unknownItems);
    }
}
