package dev.seqrec.recommender;

import java.util.Objects;
import java.util.Set;

/**
 * What a recommendation must leave out.
 *
 * @param excludeSeen   leave out items already in the history
 * @param excludedItems original item ids never to recommend (unknown ones are ignored); not null, nor holding null
 */
public record RecommendationFilters(boolean excludeSeen, Set<String> excludedItems) {
    public static final RecommendationFilters NONE = new RecommendationFilters(false, Set.of());

    public RecommendationFilters {
        Objects.requireNonNull(excludedItems, "excludedItems");
        if (excludedItems.stream().anyMatch(Objects::isNull)) {
            throw new NullPointerException("excludedItems contains null");
        }
        excludedItems = Set.copyOf(excludedItems);
    }

    public static RecommendationFilters excludingSeen() {
        return new RecommendationFilters(true, Set.of());
    }
}
