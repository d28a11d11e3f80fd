package dev.seqrec.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Checks of {@code vision train} and {@code vision eval}'s options, made before any image is loaded or probed, so that
 * a bad value fails at once with a line naming the option and its value rather than minutes later, or naming a Java
 * field.
 */
final class VisionOptionChecks {
    private final CommandLine commandLine;

    VisionOptionChecks(CommandLine commandLine) {
        this.commandLine = commandLine;
    }

    /** A usage error (exit code 2) naming the option and its value, as {@link OptionChecks#invalid} words it. */
    CommandLine.ParameterException invalid(String option, Object value, String requirement) {
        return OptionChecks.invalid(commandLine.getCommandSpec(), option, value, "must be " + requirement);
    }

    /** Fails unless the (optional) integer option is at least {@code minimum}. */
    void atLeast(String option, Integer value, int minimum) {
        if (value != null && value < minimum) {
            throw invalid(option, value, ">= " + minimum);
        }
    }

    /** Fails unless the (optional) number is finite and above 0. */
    void positiveFinite(String option, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw invalid(option, value, "a finite number > 0");
        }
    }

    /**
     * Fails unless {@code file} can be created or replaced by the end of the command: it is not a directory, and the
     * nearest folder of its path that exists is a writable directory (the folders missing below it are created when
     * the file is written).
     */
    static void requireWritableFile(String option, Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(option + " " + file + ": is a directory, expected a file name");
        }
        requireCreatableBelow(option, file, file.toAbsolutePath().normalize().getParent());
    }

    /** Fails unless {@code directory} is a directory or can be created as one. */
    static void requireUsableDirectory(String option, Path directory) throws IOException {
        requireCreatableBelow(option, directory, directory.toAbsolutePath().normalize());
    }

    private static void requireCreatableBelow(String option, Path given, Path path) throws IOException {
        Path existing = CliPaths.nearestExisting(path);
        if (existing == null) {
            return; // no root to check against; the write itself will tell
        }
        if (!Files.isDirectory(existing)) {
            throw new IOException(option + " " + given + ": " + existing + " exists and is not a directory");
        }
        if (!Files.isWritable(existing)) {
            throw new IOException(option + " " + given + ": directory " + existing + " is not writable");
        }
    }
}
