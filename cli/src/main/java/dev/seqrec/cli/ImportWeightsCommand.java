package dev.seqrec.cli;

import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.ReferenceImport;
import dev.seqrec.trainer.checkpoint.ReferenceWeights;
import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.trainer.model.EncoderConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec import-weights}: the reference implementation's exported encoder into a seqrec checkpoint. */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = "Import reference MCLRec weights (manifest.json + .npy, PyTorch layout) as a seqrec checkpoint.")
final class ImportWeightsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Directory with manifest.json and .npy files.")
    Path from;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interaction file the model was trained on (item mapping).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Checkpoint directory to write: a new path, or an existing checkpoint to replace.")
    Path out;

    @Option(names = "--heads", paramLabel = "N", defaultValue = "" + EncoderConfig.DEFAULT_HEADS, description = "Attention heads of the exported model (default: ${DEFAULT-VALUE}).")
    int heads;

    @Override
    public Integer call() throws Exception {
        refuseUnsafeOut();
        refuseImpossibleHeads();
        ComputeBackend.start();
        Checkpoint checkpoint = ReferenceImport.toCheckpoint(from, data, heads);
        checkpoint.save(out);
        System.out.printf("imported %s, %s into %s (model version %s)%n",
                Plural.count(checkpoint.config().numItems(), "item"), Plural.count(checkpoint.config().layers(), "layer"),
                out, Checkpoint.modelVersion(out));
        return 0;
    }

    /**
     * Saving replaces whatever is at --out and deletes the old copy, so only a checkpoint may be there: not a folder
     * of runs, a training output, the working directory, or the export being imported.
     */
    private void refuseUnsafeOut() throws IOException {
        Path target = CliPaths.real(out);
        if (CliPaths.real(from).startsWith(target)) {
            throw usage("--out " + out + " is or contains --from " + from
                    + "; saving there would delete the import's source");
        }
        if (Files.exists(out) && !isEmptyDirectory(out) && !Checkpoint.isCheckpointDirectory(out)) {
            throw usage("--out " + out + " exists and is not a seqrec checkpoint (no " + Checkpoint.MODEL_JSON
                    + " and " + Checkpoint.CHECKSUMS + "); saving there would delete it; give a new directory or a "
                    + "checkpoint to replace");
        }
    }

    /**
     * Refuses, before the data and weights are read, a head count below 1 or one that does not divide the hidden
     * size that the export's manifest declares.
     */
    private void refuseImpossibleHeads() {
        if (heads < 1) {
            throw usage("--heads must be >= 1, got " + heads);
        }
        OptionalLong hidden = ReferenceWeights.declaredHiddenSize(from);
        if (hidden.isPresent() && hidden.getAsLong() % heads != 0) {
            throw usage("--heads " + heads + " does not divide the exported model's hidden size " + hidden.getAsLong()
                    + " (" + from.resolve(ReferenceWeights.MANIFEST) + ")");
        }
    }

    private static boolean isEmptyDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
