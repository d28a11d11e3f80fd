package dev.seqrec.eval;

import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.SequenceDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shipped Amazon Beauty files, read once per test JVM. */
public final class BeautyData {
    private static SequenceDataset dataset;

    private BeautyData() {
    }

    public static Path directory() {
        String shared = System.getProperty("seqrec.shared");
        if (shared == null) {
            throw new IllegalStateException("system property seqrec.shared is not set (surefire sets it to ../shared)");
        }
        Path dir = Path.of(shared, "data", "amazon-beauty");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("reference data missing: " + dir);
        }
        return dir;
    }

    public static Path txt() {
        return directory().resolve("beauty.txt");
    }

    public static Path inter() {
        return directory().resolve("beauty.inter");
    }

    public static synchronized SequenceDataset dataset() {
        if (dataset == null) {
            try {
                dataset = DatasetReader.read(txt());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dataset;
    }
}
