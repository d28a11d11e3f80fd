package dev.seqrec.trainer.training;

/**
 * Weights of the loss terms (spec section 7.3).
 *
 * @param lambda          weight of L_cl1 = NCE(h1, h2)
 * @param beta            weight of the meta term C = L_cl2 + regularizerWeight * R (MCLRec only)
 * @param temperature     tau of L_cl1 and R (L_cl2 is fixed at dot product and 1)
 * @param regularizerWeight the fixed factor of R in C (0.1 in the reference)
 * @param useRegularizer  include R (the reference's use_rl)
 * @param joint           MCLRec-J (the reference's joint = 1): one pass minimising the encoder objective over the
 *                        encoder and the augmenters together, instead of the three alternating passes
 */
public record ObjectiveWeights(double lambda, double beta, double temperature, double regularizerWeight,
                               boolean useRegularizer, boolean joint) {
    public static final double DEFAULT_REGULARIZER_WEIGHT = 0.1;
}
