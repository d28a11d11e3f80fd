package dev.seqrec.eval.data;

import java.io.IOException;
import java.nio.file.Path;

/** A dataset file that cannot be read as its format says; the message names the file and the line. */
public final class DatasetFormatException extends IOException {
    private final Path file;
    private final long line;

    public DatasetFormatException(Path file, long line, String problem) {
        super(file + ":" + line + ": " + problem);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line number of the offending line. */
    public long line() {
        return line;
    }
}
