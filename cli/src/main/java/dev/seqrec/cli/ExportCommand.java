package dev.seqrec.cli;

import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreCounts;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code seqrec export}: writes a sequence store's sequences as a .txt dataset. */
@Command(name = "export",
        mixinStandardHelpOptions = true,
        description = "Writes every user's sequence from a sequence store as 'user item item ...' lines (the .txt "
                + "format seqrec eval and seqrec train read), users in order of first appearance. Opens the store "
                + "read-only, so ingestion may go on; the file is a consistent snapshot.")
public final class ExportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Sequence store directory.")
    Path store;

    @Option(names = "--out", required = true, paramLabel = "FILE",
            description = "Output .txt file, written atomically; an existing one only with --overwrite.")
    Path out;

    @Option(names = "--overwrite", description = "Replace --out if it exists.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        refuseDirectoryOut();
        refuseUnsafeOut();
        try (RocksSequenceStore sequences = RocksSequenceStore.openReadOnly(store)) {
            long users = sequences.exportSequences(out);
            StoreCounts counts = sequences.counts();
            spec.commandLine().getOut().printf(Locale.ROOT,
                    "exported %,d %s (%,d %s, %,d %s ingested) to %s%n", users, Plural.noun(users, "user"),
                    counts.items(), Plural.noun(counts.items(), "item"), counts.events(),
                    Plural.noun(counts.events(), "event"), out);
        }
        return 0;
    }

    /**
     * Refuses an --out that names a directory: one that exists, or one that ends with a separator ("dirout/"), which
     * the conversion to a Path drops, so that the export would have written a file named "dirout".
     */
    private void refuseDirectoryOut() {
        CommandLine.Model.OptionSpec option = spec.findOption("--out");
        List<String> typed = option.originalStringValues();
        String text = typed.isEmpty() ? out.toString() : typed.get(typed.size() - 1);
        String value = typed.isEmpty() ? null : text; // none typed: from SEQREC_EXPORT_OUT, which the error names
        if (Files.isDirectory(out)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--out " + text + " is a directory; give a file name", option, value);
        }
        if (text.endsWith("/") || text.endsWith(File.separator)) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--out " + text + " ends with a separator, so names a directory; give a file name", option, value);
        }
    }

    /** An existing file is someone's (re-exporting is a flag away); a file inside the store would corrupt it. */
    private void refuseUnsafeOut() throws IOException {
        if (CliPaths.real(out).startsWith(CliPaths.real(store))) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out + " lies inside --store "
                    + store + ": writing there would damage the store");
        }
        if (Files.exists(out) && !overwrite) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--out " + out
                    + " exists; give --overwrite to replace it");
        }
    }
}
