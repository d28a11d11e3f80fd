package dev.seqrec.vision.train;

import dev.seqrec.vision.augment.ImageAugmenter;
import dev.seqrec.vision.data.ImageSet;
import dev.seqrec.vision.model.ConvEncoder;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.DoubleConsumer;

/**
 * Trains a {@link ConvEncoder} SimCLR-style: each step draws two random views of a batch of images, passes both
 * through the shared encoder and projection head, and minimises the contrastive loss with Adam.
 */
public final class SimClrTrainer {

    private static final String VIEW_A = "view_a";
    private static final String VIEW_B = "view_b";
    private static final String LABELS = "labels";
    private static final String LOSS = "contrastive_loss";
    /** How ND4J's own println of each differentiated op starts. */
    static final String ND4J_DIFFERENTIATION_LINE = "Added differentiated op ";

    private final ConvEncoder encoder;
    private final SimClrConfig config;
    private final ImageAugmenter augmenter;
    private final SplittableRandom shuffling;
    private final SameDiff sd;
    private final String lossName;
    private final Map<String, GradientUpdater<?>> updaters = new LinkedHashMap<>();
    private int iteration;

    public SimClrTrainer(ConvEncoder encoder, SimClrConfig config) {
        this.encoder = encoder;
        this.config = config;
        this.augmenter = new ImageAugmenter(config.augmentation(), config.seed());
        this.shuffling = new SplittableRandom(config.seed() + 1);
        this.sd = encoder.sameDiff();
        SDVariable za = encoder.project(encoder.represent(encoder.imagesPlaceholder(VIEW_A)));
        SDVariable zb = encoder.project(encoder.represent(encoder.imagesPlaceholder(VIEW_B)));
        SDVariable labels = config.loss().usesLabels() ? sd.placeHolder(LABELS, DataType.FLOAT, -1) : null;
        SDVariable loss = config.loss().build(sd, LOSS, za, zb, labels, config.effectiveTemperature());
        sd.setLossVariables(loss);
        this.lossName = loss.name();
        createGradientFunctionQuietly(sd);
        // One Adam per weight, applied by hand: SameDiff's fit does not report the loss it computes.
        Adam adam = new Adam(config.learningRate());
        for (String name : encoder.weightValues().keySet()) {
            long size = sd.getVariable(name).getArr().length();
            updaters.put(name, adam.instantiate(Nd4j.zeros(DataType.FLOAT, 1, adam.stateSize(size)), true));
        }
    }

    /**
     * Builds the backward graph now rather than on the first step, without the line per op that ND4J 1.0.0-M2.1's
     * {@code SameDiff.createGradFunction} prints to System.out ("Added differentiated op ...", 63 for this network)
     * with no logger or switch to silence it: stdout carries the command's results. Only lines starting so are
     * dropped, and only while the graph is differentiated; anything else printed meanwhile goes through.
     */
    static void createGradientFunctionQuietly(SameDiff sd) {
        PrintStream original = System.out;
        System.setOut(new PrintStream(original, true) {
            @Override
            public void println(String line) {
                if (line == null || !line.startsWith(ND4J_DIFFERENTIATION_LINE)) {
                    super.println(line);
                }
            }
        });
        try {
            sd.createGradFunction();
        } finally {
            System.setOut(original);
        }
    }

    /** Number of optimiser steps one epoch takes on {@code train}. */
    public int stepsPerEpoch(ImageSet train) {
        return imagesPerEpoch(train) / config.batchSize();
    }

    /**
     * One epoch: a fresh random order of the train images (or a random subset of imagesPerEpoch of them), cut into
     * full batches. {@code afterStep} receives each step's loss. Returns the epoch's mean loss.
     */
    public double trainEpoch(ImageSet train, DoubleConsumer afterStep) {
        requireAFullBatch(train);
        int[] order = permutation(train.count());
        int steps = stepsPerEpoch(train);
        double sum = 0;
        for (int s = 0; s < steps; s++) {
            int[] batch = java.util.Arrays.copyOfRange(order, s * config.batchSize(), (s + 1) * config.batchSize());
            double loss = step(train, batch);
            sum += loss;
            afterStep.accept(loss);
        }
        return sum / steps;
    }

    /** Fails unless an epoch over {@code train} holds at least one full batch. */
    public void requireAFullBatch(ImageSet train) {
        if (stepsPerEpoch(train) == 0) {
            throw new IllegalArgumentException("batch size " + config.batchSize() + " exceeds the "
                    + imagesPerEpoch(train) + " training images of an epoch");
        }
    }

    /** One optimiser step on two fresh views of the given images; returns the loss before the update. */
    public double step(ImageSet images, int[] batch) {
        OutAndGrad result = sd.calculateGradientsAndOutputs(placeholders(images, batch), List.of(lossName),
                updaters.keySet());
        for (Map.Entry<String, GradientUpdater<?>> entry : updaters.entrySet()) {
            INDArray update = result.getGradients().get(entry.getKey());
            // ND4J's updaters count from 0 (Adam's bias correction uses iteration + 1)
            entry.getValue().applyUpdater(update, iteration, 0);
            sd.getVariable(entry.getKey()).getArr().subi(update);
        }
        iteration++;
        return result.getOutputs().get(lossName).getDouble(0);
    }

    /** The loss on two fresh views of the given images, without training. */
    public double loss(ImageSet images, int[] batch) {
        return sd.output(placeholders(images, batch), lossName).get(lossName).getDouble(0);
    }

    /** The two views (and, for SupCon, the labels twice) of a batch as the graph's inputs. */
    private Map<String, INDArray> placeholders(ImageSet images, int[] batch) {
        long[] shape = {batch.length, 1, images.height(), images.width()};
        Map<String, INDArray> inputs = new HashMap<>();
        inputs.put(VIEW_A, Nd4j.create(augmenter.views(images, batch), shape, 'c'));
        inputs.put(VIEW_B, Nd4j.create(augmenter.views(images, batch), shape, 'c'));
        if (config.loss().usesLabels()) {
            float[] labels = new float[2 * batch.length];
            for (int i = 0; i < batch.length; i++) {
                labels[i] = images.labels()[batch[i]];
                labels[i + batch.length] = labels[i];
            }
            inputs.put(LABELS, Nd4j.createFromArray(labels));
        }
        return inputs;
    }

    private int imagesPerEpoch(ImageSet train) {
        return config.imagesPerEpoch() == 0 ? train.count() : Math.min(config.imagesPerEpoch(), train.count());
    }

    private int[] permutation(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = shuffling.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
