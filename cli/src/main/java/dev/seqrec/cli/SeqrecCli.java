package dev.seqrec.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code bin/seqrec} launcher: one entry point, one subcommand per tool. */
@Command(name = "seqrec",
        mixinStandardHelpOptions = true,
        versionProvider = SeqrecVersion.class,
        description = "Sequential recommendation engine: evaluate, train, ingest, serve.",
        subcommands = {
                CommandLine.HelpCommand.class,
                EvalCommand.class,
                ImportWeightsCommand.class,
                TrainCommand.class,
                DemoCommand.class,
                ServeCommand.class,
                BrokerCommand.class,
                IngestCommand.class,
                ImportCommand.class,
                ExportCommand.class,
                InspectCommand.class,
                BenchCommand.class,
                VisionCommand.class,
        })
public final class SeqrecCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command; see 'seqrec --help'");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the launcher and returns its exit code; bad input prints one line saying why. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new SeqrecCli());
        cli.setDefaultValueProvider(EnvironmentDefaults.fromSystem());
        cli.setParameterExceptionHandler((ex, ignored) -> {
            ex.getCommandLine().getErr().println("seqrec: " + ex.getMessage());
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // "seqrec bench train: ...", not "seqrec train: ...": the whole name of the command that failed
            commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + describe(ex));
            if (System.getenv("SEQREC_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        try {
            return cli.execute(args);
        } catch (LinkageError e) { // a native library that failed to load: picocli's handler sees exceptions only
            return fail(cli, describe(rootCause(e)), e);
        } catch (OutOfMemoryError e) {
            // bin/seqrec's defaults: -Xmx3g -Dorg.bytedeco.javacpp.maxbytes=4g -Dorg.bytedeco.javacpp.maxphysicalbytes=0
            return fail(cli, "out of memory (" + describe(e) + "); set SEQREC_JAVA_OPTS to bin/seqrec's defaults with "
                    + "larger limits", e);
        }
    }

    private static int fail(CommandLine cli, String why, Throwable e) {
        cli.getErr().println("seqrec: " + why);
        if (System.getenv("SEQREC_DEBUG") != null) {
            e.printStackTrace(cli.getErr());
        }
        return 1;
    }

    private static Throwable rootCause(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }
}
