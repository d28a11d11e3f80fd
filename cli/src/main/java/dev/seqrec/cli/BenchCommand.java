package dev.seqrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code seqrec bench}: benchmarks, one subcommand each; each prints its figures and how they were obtained. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks. Each prints its figures and how they were measured; ingest, ingest-writers and "
                + "serve also write a chart.",
        subcommands = {
                BenchIngestCommand.class,
                BenchIngestWritersCommand.class,
                BenchTrainCommand.class,
                BenchServeCommand.class,
        })
public final class BenchCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing benchmark; see 'seqrec bench --help'");
    }
}
