package dev.seqrec.recommender;

import java.util.Set;

/**
 * What a recommendation must leave out.
 *
 * @param excludeSeen   leave out items already in the history
 * @param excludedItems original item ids never to recommend (unknown ones are ignored)
 */
public record RecommendationFilters(boolean excludeSeen, Set<String> excludedItems) {
    public static final RecommendationFilters NONE = new RecommendationFilters(false, Set.of());

    public RecommendationFilters {
        excludedItems = Set.copyOf(excludedItems);
    }

    public static RecommendationFilters excludingSeen() {
        return new RecommendationFilters(true, Set.of());
    }
}
