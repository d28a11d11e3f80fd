package dev.seqrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seqrec vision}: the SimCLR-style image encoder on Fashion-MNIST (train, eval). */
@Command(name = "vision",
        mixinStandardHelpOptions = true,
        description = "Trains a small CNN image encoder with a contrastive loss on Fashion-MNIST and evaluates its "
                + "frozen features (linear probe, k-NN) against raw pixels.",
        subcommands = {VisionTrainCommand.class, VisionEvalCommand.class})
public final class VisionCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: train or eval");
    }
}
