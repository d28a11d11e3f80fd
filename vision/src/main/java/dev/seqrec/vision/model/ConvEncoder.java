package dev.seqrec.vision.model;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import dev.seqrec.vision.data.ImageSet;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The CNN encoder and projection head as SameDiff variables. Every call to {@link #represent} or {@link #project}
 * adds ops that share the same weights, so two augmented views go through one set of parameters.
 * Images enter as [N, 1, height, width] (NCHW) float32.
 */
public final class ConvEncoder {

    // Weight names; the head's (head*) are used in training only: the probes read the representation, as in SimCLR.
    public static final String CONV1_W = "conv1_w";
    public static final String CONV1_B = "conv1_b";
    public static final String CONV2_W = "conv2_w";
    public static final String CONV2_B = "conv2_b";
    public static final String HEAD1_W = "head1_w";
    public static final String HEAD1_B = "head1_b";
    public static final String HEAD2_W = "head2_w";
    public static final String HEAD2_B = "head2_b";
    public static final String HEAD3_W = "head3_w";
    public static final String HEAD3_B = "head3_b";
    private static final String INFERENCE_INPUT = "encode_images";

    private final ConvEncoderConfig config;
    private final SameDiff sd;
    private final Map<String, SDVariable> weights = new LinkedHashMap<>();
    private SDVariable inferenceOutput;

    /** Adds freshly initialised weights (He-normal, zero biases, seeded by the config) to {@code sd}. */
    public ConvEncoder(SameDiff sd, ConvEncoderConfig config) {
        this.sd = sd;
        this.config = config;
        Nd4j.getRandom().setSeed(config.seed());
        int k = ConvEncoderConfig.KERNEL;
        int c1 = config.conv1Channels();
        int c2 = config.conv2Channels();
        add(CONV1_W, heNormal(k * k, k, k, 1, c1));
        add(CONV1_B, Nd4j.zeros(DataType.FLOAT, c1));
        add(CONV2_W, heNormal(k * k * c1, k, k, c1, c2));
        add(CONV2_B, Nd4j.zeros(DataType.FLOAT, c2));
        int hidden = config.headHiddenDim();
        add(HEAD1_W, heNormal(config.representationDim(), config.representationDim(), hidden));
        add(HEAD1_B, Nd4j.zeros(DataType.FLOAT, hidden));
        add(HEAD2_W, heNormal(hidden, hidden, hidden));
        add(HEAD2_B, Nd4j.zeros(DataType.FLOAT, hidden));
        add(HEAD3_W, heNormal(hidden, hidden, config.projectionDim()));
        add(HEAD3_B, Nd4j.zeros(DataType.FLOAT, config.projectionDim()));
    }

    public ConvEncoderConfig config() {
        return config;
    }

    public SameDiff sameDiff() {
        return sd;
    }

    /** A placeholder for a batch of images, [N, 1, height, width]. */
    public SDVariable imagesPlaceholder(String name) {
        return sd.placeHolder(name, DataType.FLOAT, -1, 1, config.height(), config.width());
    }

    /**
     * The representation h = flatten(pool(ReLU(conv(pool(ReLU(conv(x))))))), [N, representationDim]. Probing here
     * rather than after a dense layer matters: trained contrastively, a dense ReLU layer drops what the loss does
     * not need, and its linear probe fell below the untrained encoder's.
     */
    public SDVariable represent(SDVariable images) {
        SDVariable x = convBlock(images, CONV1_W, CONV1_B);
        x = convBlock(x, CONV2_W, CONV2_B);
        return sd.reshape(x, -1, config.representationDim());
    }

    /** The projection head's output z, [N, projectionDim], which the contrastive loss is computed on. */
    public SDVariable project(SDVariable representation) {
        SDVariable hidden = sd.nn().relu(sd.nn().linear(representation, weights.get(HEAD1_W), weights.get(HEAD1_B)), 0);
        hidden = sd.nn().relu(sd.nn().linear(hidden, weights.get(HEAD2_W), weights.get(HEAD2_B)), 0);
        return sd.nn().linear(hidden, weights.get(HEAD3_W), weights.get(HEAD3_B));
    }

    /**
     * Representations of every image, [count, representationDim], computed {@code batchSize} images at a time;
     * {@code progress} receives the number of images done after each batch.
     */
    public INDArray encode(ImageSet images, int batchSize, IntConsumer progress) {
        if (images.height() != config.height() || images.width() != config.width()) {
            throw new IllegalArgumentException("images are " + images.height() + "x" + images.width()
                    + ", the encoder takes " + config.height() + "x" + config.width());
        }
        if (inferenceOutput == null) {
            inferenceOutput = represent(imagesPlaceholder(INFERENCE_INPUT));
        }
        INDArray out = Nd4j.create(DataType.FLOAT, images.count(), config.representationDim());
        int size = images.pixelsPerImage();
        for (int start = 0; start < images.count(); start += batchSize) {
            int end = Math.min(images.count(), start + batchSize);
            float[] pixels = java.util.Arrays.copyOfRange(images.pixels(), start * size, end * size);
            INDArray batch = Nd4j.create(pixels, new long[]{end - start, 1, config.height(), config.width()}, 'c');
            INDArray h = sd.output(Map.of(INFERENCE_INPUT, batch), inferenceOutput.name()).get(inferenceOutput.name());
            out.get(NDArrayIndex.interval(start, end), NDArrayIndex.all()).assign(h);
            progress.accept(end - start);
        }
        return out;
    }

    /** Current weight values by name (live arrays; copy before keeping). */
    public Map<String, INDArray> weightValues() {
        Map<String, INDArray> values = new LinkedHashMap<>();
        weights.forEach((name, variable) -> values.put(name, variable.getArr()));
        return values;
    }

    /** Replaces every weight with the given values (shapes must match). */
    public void load(Map<String, INDArray> values) {
        for (Map.Entry<String, SDVariable> entry : weights.entrySet()) {
            INDArray value = values.get(entry.getKey());
            if (value == null) {
                throw new IllegalArgumentException("no value for weight " + entry.getKey());
            }
            INDArray current = entry.getValue().getArr();
            if (!java.util.Arrays.equals(current.shape(), value.shape())) {
                throw new IllegalArgumentException("weight " + entry.getKey() + " has shape "
                        + java.util.Arrays.toString(value.shape()) + ", the encoder expects "
                        + java.util.Arrays.toString(current.shape()));
            }
            current.assign(value.castTo(DataType.FLOAT));
        }
    }

    private SDVariable convBlock(SDVariable input, String weightName, String biasName) {
        int k = ConvEncoderConfig.KERNEL;
        Conv2DConfig conv = Conv2DConfig.builder().kH(k).kW(k).sH(1).sW(1).dH(1).dW(1)
                .paddingMode(PaddingMode.SAME).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        SDVariable activated = sd.nn().relu(sd.cnn().conv2d(input, weights.get(weightName), weights.get(biasName), conv), 0);
        int pool = ConvEncoderConfig.POOL;
        Pooling2DConfig pooling = Pooling2DConfig.builder().kH(pool).kW(pool).sH(pool).sW(pool).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).type(Pooling2D.Pooling2DType.MAX).isNHWC(false).build();
        return sd.cnn().maxPooling2d(activated, pooling);
    }

    private void add(String name, INDArray initial) {
        weights.put(name, sd.var(name, initial));
    }

    private static INDArray heNormal(int fanIn, long... shape) {
        return Nd4j.randn(DataType.FLOAT, shape).muli(Math.sqrt(2.0 / fanIn));
    }
}
