package dev.seqrec.contrastive;

import java.util.Arrays;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * Two views a, b [B, d] stacked as u = [a; b] (2B rows; the partner of row i is i + B or i - B), compared every row
 * with every row. Positives are computed row-wise rather than read off the matrix, since slices are fragile in
 * SameDiff's backward pass. Views of B = 0 samples are rejected when building where the batch size is known; with a
 * dynamic batch size ({@code [-1, d]} placeholders) an empty batch cannot be refused and gives what the loss's
 * reductions give on no rows (InfoNCE: 0), so feed at least one sample.
 */
final class TwoViewBatch {
    /** Start of the message for views without samples; the eager losses say the same. */
    static final String EMPTY_BATCH = "the two views must hold at least one sample each, got shape ";
    /** u = [a; b], [2B, d]. */
    final SDVariable stacked;
    /** sim(u_i, u_k) / tau, [2B, 2B]. */
    final SDVariable logits;
    /** sim(u_i, u_partner(i)) / tau, [2B, 1]. */
    final SDVariable positives;
    /** sim(u_i, u_partner(i)) without temperature, [2B, 1]. */
    final SDVariable positiveSimilarities;
    /** 1 on the diagonal, [2B, 2B]. */
    final SDVariable self;
    /** 1 at (i, partner(i)), [2B, 2B]. */
    final SDVariable partner;

    private TwoViewBatch(SDVariable stacked, SDVariable logits, SDVariable positives, SDVariable positiveSimilarities,
                         SDVariable self, SDVariable partner) {
        this.stacked = stacked;
        this.logits = logits;
        this.positives = positives;
        this.positiveSimilarities = positiveSimilarities;
        this.self = self;
        this.partner = partner;
    }

    static TwoViewBatch of(SameDiff sd, SDVariable a, SDVariable b, Similarity similarity, double temperature) {
        requireSameShape(a, b);
        SDVariable stacked = sd.concat(0, a, b);
        SDVariable partners = sd.concat(0, b, a);
        SDVariable logits = similarity.matrix(sd, stacked, stacked).div(temperature);
        SDVariable positiveSimilarities = similarity.rowwise(sd, stacked, partners);
        SDVariable positives = positiveSimilarities.div(temperature);

        SDVariable identityOfB = GraphConstants.identityLike(sd, a);
        SDVariable zerosOfB = sd.zerosLike(identityOfB);
        SDVariable self = GraphConstants.withoutGradient(sd,
                sd.concat(0, sd.concat(1, identityOfB, zerosOfB), sd.concat(1, zerosOfB, identityOfB)));
        SDVariable partner = GraphConstants.withoutGradient(sd,
                sd.concat(0, sd.concat(1, zerosOfB, identityOfB), sd.concat(1, identityOfB, zerosOfB)));
        return new TwoViewBatch(stacked, logits, positives, positiveSimilarities, self, partner);
    }

    /** Catches views of different shapes when building, where the shapes are known, rather than when running. */
    private static void requireSameShape(SDVariable a, SDVariable b) {
        long[] first = a.getShape();
        long[] second = b.getShape();
        if (first == null || second == null) {
            return;
        }
        boolean differ = first.length != second.length;
        for (int i = 0; !differ && i < first.length; i++) {
            differ = first[i] >= 0 && second[i] >= 0 && first[i] != second[i];
        }
        if (differ) {
            throw new IllegalArgumentException("the two views must have the same shape [B, d], got "
                    + Arrays.toString(first) + " and " + Arrays.toString(second));
        }
        if (first.length == 2 && (first[0] == 0 || second[0] == 0)) {
            throw new IllegalArgumentException(EMPTY_BATCH + Arrays.toString(first[0] == 0 ? first : second));
        }
    }

    /** 1 where rows i and k are the same sample or share a target ([B] vector, repeated for both views). */
    SDVariable sameTarget(SameDiff sd, SDVariable targets) {
        SDVariable flat = sd.reshape(targets, -1);
        return GraphConstants.sameLabel(sd, sd.concat(0, flat, flat), logits);
    }
}
