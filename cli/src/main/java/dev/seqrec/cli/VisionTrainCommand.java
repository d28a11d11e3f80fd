package dev.seqrec.cli;

import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.vision.augment.AugmentationConfig;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.model.ConvEncoderConfig;
import dev.seqrec.vision.probe.ProbeEvaluation;
import dev.seqrec.vision.train.SimClrConfig;
import dev.seqrec.vision.train.SimClrExperiment;
import dev.seqrec.vision.train.VisionLoss;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code seqrec vision train}: one SimCLR-style training run with probes after every few epochs. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = "Trains the CNN encoder SimCLR-style with one contrastive loss and writes to --out: the encoder "
                + "checkpoint, accuracy.csv and accuracy.png (linear-probe and k-NN test accuracy against epochs, "
                + "raw pixels alongside) and summary.md.")
final class VisionTrainCommand implements Callable<Integer> {

    @Mixin
    VisionDataOptions dataOptions = new VisionDataOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory to write.")
    Path out;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "infonce",
            description = "infonce, dcl, dclw or supcon (supervised: uses the labels). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--temperature", paramLabel = "TAU",
            description = "Temperature of the loss. Default: 0.2 (infonce, dcl, dclw), 0.07 (supcon).")
    Double temperature;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs. Default: 3.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B", description = "Images per step (two views each). Default: 256.")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam step size. Default: 0.001.")
    Double learningRate;

    @Option(names = "--images-per-epoch", paramLabel = "N",
            description = "Random training images drawn per epoch (0: all). Default: 0.")
    Integer imagesPerEpoch;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "1",
            description = "Run the probes after every N epochs (and after the last). Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of initialisation, shuffling and augmentation.")
    Long seed;

    @Option(names = "--channels", paramLabel = "C1,C2", split = ",",
            description = "Channels of the two convolutions. Default: 16,32.")
    int[] channels;

    @Option(names = "--head-hidden-dim", paramLabel = "D",
            description = "Width of the projection head's two hidden layers (training only). Default: 256.")
    Integer headHiddenDim;

    @Override
    public Integer call() throws Exception {
        SimClrExperiment.requireNoRunIn(out); // before the backend starts and the images load
        ComputeBackend.start();
        SimClrConfig d = SimClrConfig.defaults();
        SimClrConfig training = new SimClrConfig(VisionLoss.parse(loss),
                temperature == null ? d.temperature() : temperature,
                epochs == null ? d.epochs() : epochs,
                batchSize == null ? d.batchSize() : batchSize,
                learningRate == null ? d.learningRate() : learningRate,
                imagesPerEpoch == null ? d.imagesPerEpoch() : imagesPerEpoch,
                seed == null ? d.seed() : seed,
                AugmentationConfig.defaults());
        ConvEncoderConfig e = ConvEncoderConfig.defaults();
        if (channels != null && channels.length != 2) {
            throw new IllegalArgumentException("--channels takes two numbers, e.g. 16,32");
        }
        FashionMnist.Splits data = dataOptions.load();
        ConvEncoderConfig encoder = new ConvEncoderConfig(data.train().height(), data.train().width(),
                channels == null ? e.conv1Channels() : channels[0], channels == null ? e.conv2Channels() : channels[1],
                headHiddenDim == null ? e.headHiddenDim() : headHiddenDim, e.projectionDim(),
                seed == null ? e.seed() : seed);
        new SimClrExperiment(encoder, training, new ProbeEvaluation(dataOptions.probeConfig()), evalEvery)
                .run(data, out, System.out);
        System.out.println("run written to " + out);
        return 0;
    }
}
