package dev.seqrec.vision.model;

/**
 * Shape of the CNN encoder and its SimCLR projection head.
 * Encoder: conv 3x3 -> ReLU -> 2x2 max-pool, twice; the flattened feature map is the representation that the probes
 * read (SimCLR probes the backbone's output, before any dense layer). Head (training only): dense ReLU -> dense ReLU
 * -> dense, a three-layer MLP as in SimCLRv2, whose output the contrastive loss sees.
 */
public record ConvEncoderConfig(int height, int width, int conv1Channels, int conv2Channels,
                                int headHiddenDim, int projectionDim, long seed) {

    static final int KERNEL = 3;
    static final int POOL = 2;
    static final int POOLINGS = 2;

    /** Sized for 28x28 images on a couple of CPU cores. */
    public static ConvEncoderConfig defaults() {
        return new ConvEncoderConfig(28, 28, 16, 32, 256, 64, 42L);
    }

    public ConvEncoderConfig {
        int stride = pow(POOL, POOLINGS);
        if (height % stride != 0 || width % stride != 0) {
            throw new IllegalArgumentException("image sides must be multiples of " + stride + ", got "
                    + height + "x" + width);
        }
        requireAtLeastOne("conv1Channels", conv1Channels);
        requireAtLeastOne("conv2Channels", conv2Channels);
        requireAtLeastOne("headHiddenDim", headHiddenDim);
        requireAtLeastOne("projectionDim", projectionDim);
    }

    /** Width of the representation: the flattened feature map after the second pooling. */
    public int representationDim() {
        int stride = pow(POOL, POOLINGS);
        return conv2Channels * (height / stride) * (width / stride);
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }

    private static int pow(int base, int exponent) {
        int result = 1;
        for (int i = 0; i < exponent; i++) {
            result *= base;
        }
        return result;
    }
}
