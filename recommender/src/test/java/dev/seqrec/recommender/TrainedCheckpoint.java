package dev.seqrec.recommender;

import dev.seqrec.eval.data.CyclicSequences;
import dev.seqrec.trainer.checkpoint.ModelKind;
import dev.seqrec.trainer.training.DatasetPreset;
import dev.seqrec.trainer.training.Trainer;
import dev.seqrec.trainer.training.TrainingOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SASRec model trained with the trainer's API on a tiny catalogue with a deterministic rule: item i is always
 * followed by item i % 12 + 1 (item ids "1".."12"). Trained once per test JVM.
 */
public final class TrainedCheckpoint {
    public static final int ITEMS = 12;
    private static final int USERS = 120;
    private static final int EPOCHS = 4;
    private static final long SEED = 7;
    private static Path trained;

    private TrainedCheckpoint() {
    }

    /** The training output directory (its {@code best/} is the checkpoint). */
    public static synchronized Path directory() {
        if (trained == null) {
            try {
                Path dir = Files.createTempDirectory("seqrec-trained");
                Path out = dir.resolve("run");
                new Trainer(options(), cyclicData(dir), out, false, new PrintStream(OutputStream.nullOutputStream()),
                        false).run();
                trained = out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return trained;
    }

    /** The item the rule puts after {@code item}. */
    public static String next(String item) {
        return Integer.toString(CyclicSequences.next(Integer.parseInt(item), ITEMS));
    }

    private static TrainingOptions options() {
        return TrainingOptions.builder(ModelKind.SASREC, DatasetPreset.BEAUTY).epochs(EPOCHS).batchSize(64)
                .learningRate(1e-2).layers(1).innerSize(64).maxLength(10).hiddenDropout(0.1).attentionDropout(0.1)
                .patience(EPOCHS).seed(SEED).threads(2).build();
    }

    private static Path cyclicData(Path dir) throws IOException {
        return CyclicSequences.write(dir.resolve("cyclic.txt"), USERS, ITEMS, SEED);
    }
}
