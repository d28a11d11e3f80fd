package dev.seqrec.eval.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A synthetic dataset with a known next-item rule: item i is always followed by item i % items + 1, each history
 * starting at a random item and holding {@value #MIN_LENGTH} to {@value #MAX_LENGTH} items. A model that learns the
 * rule reaches HR@1 = 1, which makes the dataset a small end-to-end check of training, checkpoints and serving.
 */
public final class CyclicSequences {
    public static final int MIN_LENGTH = 5;
    public static final int MAX_LENGTH = 8;

    private CyclicSequences() {
    }

    /** The item the rule puts after {@code item} (ids 1..items). */
    public static int next(int item, int items) {
        return item % items + 1;
    }

    /**
     * Writes the dataset in the {@code .txt} sequence format (one line per user: user id, then the items in order).
     *
     * @return {@code file}
     */
    public static Path write(Path file, int users, int items, long seed) throws IOException {
        Random random = new Random(seed);
        StringBuilder text = new StringBuilder();
        for (int u = 1; u <= users; u++) {
            text.append(u);
            int item = 1 + random.nextInt(items);
            int length = MIN_LENGTH + random.nextInt(MAX_LENGTH - MIN_LENGTH + 1);
            for (int i = 0; i < length; i++) {
                text.append(' ').append(item);
                item = next(item, items);
            }
            text.append('\n');
        }
        return Files.writeString(file, text);
    }
}
