package dev.seqrec.trainer.model;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaskedAttention}'s dot products and axpys over a head's entries (32 in the presets) with the vector API,
 * the widest vectors the processor has (8 doubles with AVX-512); about twice as fast as the scalar loops they replace, which left attention
 * a tenth of a SASRec step. Loaded only where the module is.
 */
final class VectorLoops {
    private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
    /** Rotations by half the lanes, a quarter, ..., one: adding each in turn leaves the sum of all in lane 0. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Double>[] HALVING_ROTATIONS = java.util.stream.IntStream
            .iterate(SPECIES.length() / 2, step -> step > 0, step -> step / 2)
            .mapToObj(step -> VectorShuffle.iota(SPECIES, step, 1, true)).toArray(VectorShuffle[]::new);

    private VectorLoops() {
    }

    /** The width of the processor's widest vectors as the vector API uses them. */
    static int preferredBits() {
        return SPECIES.vectorBitSize();
    }

    /** a[aFrom..] . b[bFrom..] over n entries. */
    static double dot(double[] a, int aFrom, double[] b, int bFrom, int n) {
        DoubleVector sum = DoubleVector.zero(SPECIES);
        int k = 0;
        for (; k <= n - SPECIES.length(); k += SPECIES.length()) {
            sum = DoubleVector.fromArray(SPECIES, a, aFrom + k).fma(DoubleVector.fromArray(SPECIES, b, bFrom + k), sum);
        }
        // a fixed tree of lane-wise adds: reduceLanes(ADD) adds in one order compiled and another interpreted
        for (VectorShuffle<Double> rotation : HALVING_ROTATIONS) {
            sum = sum.add(sum.rearrange(rotation));
        }
        double total = sum.lane(0);
        for (; k < n; k++) {
            total += a[aFrom + k] * b[bFrom + k];
        }
        return total;
    }

    /** y[yFrom..] += a x[xFrom..] over n entries. */
    static void axpy(double a, double[] x, int xFrom, double[] y, int yFrom, int n) {
        DoubleVector scale = DoubleVector.broadcast(SPECIES, a);
        int k = 0;
        for (; k <= n - SPECIES.length(); k += SPECIES.length()) {
            DoubleVector.fromArray(SPECIES, x, xFrom + k).fma(scale, DoubleVector.fromArray(SPECIES, y, yFrom + k))
                    .intoArray(y, yFrom + k);
        }
        for (; k < n; k++) {
            y[yFrom + k] += a * x[xFrom + k];
        }
    }
}
