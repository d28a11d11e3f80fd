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
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
    }
}
