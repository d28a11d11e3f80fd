package dev.seqrec.contrastive;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Evaluates a loss on concrete arrays by building a one-off graph: for diagnostics, logs and tests, not training. */
public final class EagerLoss {
    static final String FIRST = "a";
    static final String SECOND = "b";
    static final String OUTPUT = "loss";

    private EagerLoss() {
    }

    /** The value of a pair loss on two views [B, d]. */
    public static double value(PairLoss loss, INDArray a, INDArray b) {
        return value(loss, a, b, Map.of());
    }

    /** As {@link #value(PairLoss, INDArray, INDArray)}, feeding the extra placeholders the loss created. */
    public static double value(PairLoss loss, INDArray a, INDArray b, Map<String, INDArray> extraInputs) {
        requireMatrix("a", a);
        requireMatrix("b", b);
        if (!a.equalShapes(b)) {
            throw new IllegalArgumentException("views differ in shape: " + shape(a) + " vs " + shape(b));
        }
        SameDiff sd = SameDiff.create();
        SDVariable first = sd.placeHolder(FIRST, a.dataType(), a.shape());
        SDVariable second = sd.placeHolder(SECOND, b.dataType(), b.shape());
        loss.build(sd, OUTPUT, first, second);
        Map<String, INDArray> inputs = new HashMap<>(extraInputs);
        inputs.put(FIRST, a);
        inputs.put(SECOND, b);
        return sd.outputSingle(inputs, OUTPUT).getDouble(0);
    }

    /** The value of a labelled loss on embeddings [n, d] with labels [n]. */
    public static double value(LabelledLoss loss, INDArray x, INDArray labels) {
        requireMatrix("x", x);
        if (labels.length() != x.size(0)) {
            throw new IllegalArgumentException("labels has " + labels.length() + " entries for " + x.size(0) + " rows");
        }
        SameDiff sd = SameDiff.create();
        SDVariable embeddings = sd.placeHolder(FIRST, x.dataType(), x.shape());
        SDVariable labelVariable = sd.placeHolder(SECOND, labels.dataType(), labels.length());
        loss.build(sd, OUTPUT, embeddings, labelVariable);
        return sd.outputSingle(Map.of(FIRST, x, SECOND, labels.reshape(labels.length())), OUTPUT).getDouble(0);
    }

    private static void requireMatrix(String name, INDArray x) {
        if (x.rank() != 2) {
            throw new IllegalArgumentException(name + " must be [rows, dimensions], got shape " + shape(x));
        }
    }

    private static String shape(INDArray x) {
        return Arrays.toString(x.shape());
    }
}
