package dev.seqrec.recommender.model;

/** One recommended item, in its original (string) id, with its score (higher is better). */
public record ScoredItem(String item, float score) {
}
