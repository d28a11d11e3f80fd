package dev.seqrec.vision.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Locates and reads the four IDX files of an MNIST-style directory: {@code train-images-idx3-ubyte},
 * {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each plain or
 * with {@code .gz}, and also spelled with a dot before {@code idx} as some mirrors do. Labels must be 0-9.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** Class names in label order, as published with the dataset. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {
    }

    /** The train and test splits of an IDX directory. */
    public record Splits(ImageSet train, ImageSet test) {
    }

    public static Splits load(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null,
                    "no such directory (Fashion-MNIST: apt-get install dataset-fashion-mnist)");
        }
        ImageSet train = read(directory, "train");
        ImageSet test = read(directory, "t10k");
        if (train.height() != test.height() || train.width() != test.width()) {
            throw new IOException(directory + ": train images are " + train.height() + "x" + train.width()
                    + " but test images are " + test.height() + "x" + test.width());
        }
        return new Splits(train, test);
    }

    /** One split; a label outside the 10 classes means a damaged labels file, refused naming it. */
    private static ImageSet read(Path directory, String split) throws IOException {
        Path images = find(directory, split, "images", 3);
        Path labels = find(directory, split, "labels", 1);
        ImageSet set = IdxReader.read(images, labels);
        int[] values = set.labels();
        for (int i = 0; i < values.length; i++) {
            if (values[i] >= CLASS_NAMES.size()) {
                throw new IdxFormatException(labels, "label " + values[i] + " (item " + i + ") is outside 0-"
                        + (CLASS_NAMES.size() - 1) + ": MNIST-style label files have " + CLASS_NAMES.size()
                        + " classes");
            }
        }
        return set;
    }

    private static Path find(Path directory, String split, String kind, int rank) throws NoSuchFileException {
        String base = split + "-" + kind;
        for (String separator : List.of("-", ".")) {
            for (String suffix : List.of("", ".gz")) {
                Path candidate = directory.resolve(base + separator + "idx" + rank + "-ubyte" + suffix);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new NoSuchFileException(directory.resolve(base + "-idx" + rank + "-ubyte[.gz]").toString(), null,
                "missing IDX file");
    }
}
