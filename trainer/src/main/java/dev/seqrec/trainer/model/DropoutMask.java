package dev.seqrec.trainer.model;

/** Which units an inverted dropout keeps, in row-major order; a kept unit is scaled by {@link #scale}. */
final class DropoutMask {
    private final byte[] kept;
    private final double scale;

    DropoutMask(byte[] kept, double scale) {
        this.kept = kept;
        this.scale = scale;
    }

    /** The factor of unit i: 0 when dropped, 1/(1-p) when kept. */
    double factor(int i) {
        return kept[i] * scale;
    }
}
