package dev.seqrec.cli;

import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.vision.augment.AugmentationConfig;
import dev.seqrec.vision.data.FashionMnist;
import dev.seqrec.vision.model.ConvEncoderConfig;
import dev.seqrec.vision.probe.ProbeEvaluation;
import dev.seqrec.vision.train.SimClrConfig;
import dev.seqrec.vision.train.SimClrExperiment;
import dev.seqrec.vision.train.VisionLoss;
import picocli.CommandLine;
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
                + "raw pixels alongside), summary.md and run.properties (settings, both seeds included).")
final class VisionTrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Mixin
    VisionDataOptions dataOptions = new VisionDataOptions();

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory to write.")
    Path out;

    @Option(names = "--loss", paramLabel = "NAME", defaultValue = "infonce",
            description = "infonce, dcl, dclw or supcon (supervised: uses the labels). Default: ${DEFAULT-VALUE}.")
    String loss;

    @Option(names = "--temperature", paramLabel = "TAU",
            description = "Temperature of the loss, a finite number > 0. Default: 0.2 (infonce, dcl, dclw), "
                    + "0.07 (supcon).")
    Double temperature;

    @Option(names = "--epochs", paramLabel = "N", description = "Training epochs (0: probes only). Default: 3.")
    Integer epochs;

    @Option(names = "--batch-size", paramLabel = "B",
            description = "Images per step (two views each), at least 2. Default: 256.")
    Integer batchSize;

    @Option(names = "--learning-rate", paramLabel = "LR", description = "Adam step size. Default: 0.001.")
    Double learningRate;

    @Option(names = "--images-per-epoch", paramLabel = "N",
            description = "Random training images drawn per epoch (0: all). Default: 0.")
    Integer imagesPerEpoch;

    @Option(names = "--eval-every", paramLabel = "N", defaultValue = "1",
            description = "Run the probes after every N epochs (and after the last). Default: ${DEFAULT-VALUE}.")
    int evalEvery;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed of the training's randomness: shuffling and augmentation. Default: 1.")
    Long seed;

    @Option(names = "--init-seed", paramLabel = "S",
            description = "Seed of the encoder's and head's initial weights. Default: 42. "
                    + "A run without either seed equals one with --seed 1 --init-seed 42.")
    Long initSeed;

    @Option(names = "--channels", paramLabel = "C1,C2", split = ",",
            description = "Channels of the two convolutions. Default: 16,32.")
    int[] channels;

    @Option(names = "--head-hidden-dim", paramLabel = "D",
            description = "Width of the projection head's two hidden layers (training only). Default: 256.")
    Integer headHiddenDim;

    @Override
    public Integer call() throws Exception {
        checkOptions(); // before the backend starts and the images load
        SimClrExperiment.requireNoRunIn(out);
        VisionOptionChecks.requireUsableDirectory("--out", out);
        return train();
    }

    private int train() throws Exception {
        ComputeBackend.start();
        SimClrConfig d = SimClrConfig.defaults();
        SimClrConfig training = new SimClrConfig(loss(),
                temperature == null ? d.temperature() : temperature,
                epochs == null ? d.epochs() : epochs,
                batchSize == null ? d.batchSize() : batchSize,
                learningRate == null ? d.learningRate() : learningRate,
                imagesPerEpoch == null ? d.imagesPerEpoch() : imagesPerEpoch,
                seed == null ? d.seed() : seed,
                AugmentationConfig.defaults());
        ConvEncoderConfig e = ConvEncoderConfig.defaults();
        FashionMnist.Splits data = dataOptions.load();
        ConvEncoderConfig encoder = new ConvEncoderConfig(data.train().height(), data.train().width(),
                channels == null ? e.conv1Channels() : channels[0], channels == null ? e.conv2Channels() : channels[1],
                headHiddenDim == null ? e.headHiddenDim() : headHiddenDim, e.projectionDim(),
                initSeed == null ? e.seed() : initSeed);
        new SimClrExperiment(encoder, training, new ProbeEvaluation(dataOptions.probeConfig()), evalEvery)
                .run(data, out, System.out);
        System.out.println("run written to " + out);
        return 0;
    }

    private VisionLoss loss() {
        return ChoiceOption.parse(spec, "--loss", loss, VisionLoss::parse, VisionLoss.values(), VisionLoss::label);
    }

    private void checkOptions() {
        VisionOptionChecks checks = new VisionOptionChecks(spec.commandLine());
        dataOptions.check(checks);
        loss();
        checks.positiveFinite("--temperature", temperature);
        checks.atLeast("--epochs", epochs, 0);
        checks.atLeast("--batch-size", batchSize, 2);
        checks.positiveFinite("--learning-rate", learningRate);
        checks.atLeast("--images-per-epoch", imagesPerEpoch, 0);
        checks.atLeast("--eval-every", evalEvery, 1);
        checks.atLeast("--head-hidden-dim", headHiddenDim, 1);
        if (channels != null) {
            if (channels.length != 2) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--channels takes two numbers, e.g. 16,32, got " + channels.length);
            }
            if (channels[0] < 1 || channels[1] < 1) {
                throw checks.invalid("--channels", channels[0] + "," + channels[1], "two numbers >= 1");
            }
        }
    }
}
