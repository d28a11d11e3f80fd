package dev.seqrec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Path comparisons for options that name files which may not exist yet. */
final class CliPaths {
    private CliPaths() {
    }

    /**
     * {@code path} absolute, normalized and with symbolic links resolved as far as it exists, so that two spellings of
     * one directory ({@code runs/../runs}, {@code .}, a link) compare equal and {@link Path#startsWith} sees nesting.
     */
    static Path real(Path path) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = nearestExisting(absolute);
        return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
    }

    /**
     * The first of {@code path} (absolute and normalized) and its parents that exists, or null: where a file or
     * directory to be created at {@code path} would hang.
     */
    static Path nearestExisting(Path path) {
        Path existing = path == null ? null : path.toAbsolutePath().normalize();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing;
    }
}
