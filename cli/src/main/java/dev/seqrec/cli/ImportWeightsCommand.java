package dev.seqrec.cli;

import dev.seqrec.trainer.checkpoint.Checkpoint;
import dev.seqrec.trainer.checkpoint.ReferenceImport;
import dev.seqrec.trainer.model.ComputeBackend;
import dev.seqrec.trainer.model.EncoderConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqrec import-weights}: the reference implementation's exported encoder into a seqrec checkpoint. */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = "Import reference MCLRec weights (manifest.json + .npy, PyTorch layout) as a seqrec checkpoint.")
final class ImportWeightsCommand implements Callable<Integer> {

    @Option(names = "--from", required = true, paramLabel = "DIR", description = "Directory with manifest.json and .npy files.")
    Path from;

    @Option(names = "--data", required = true, paramLabel = "FILE", description = "Interaction file the model was trained on (item mapping).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Checkpoint directory to write.")
    Path out;

    @Option(names = "--heads", defaultValue = "" + EncoderConfig.DEFAULT_HEADS, description = "Attention heads of the exported model (default: ${DEFAULT-VALUE}).")
    int heads;

    @Override
    public Integer call() throws Exception {
        ComputeBackend.start();
        Checkpoint checkpoint = ReferenceImport.toCheckpoint(from, data, heads);
        checkpoint.save(out);
        System.out.printf("imported %d items, %d layers into %s (model version %s)%n", checkpoint.config().numItems(),
                checkpoint.config().layers(), out, Checkpoint.modelVersion(out));
        return 0;
    }
}
