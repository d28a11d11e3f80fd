package dev.seqrec.cli;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code bin/seqrec} launcher: one entry point, one subcommand per tool. Every subcommand inherits its attributes
 * ({@code scope}) for the version provider: without one of its own, a subcommand's {@code -V} printed nothing.
 */
@Command(name = "seqrec", scope = CommandLine.ScopeType.INHERIT,
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
        return run(EnvironmentDefaults.fromSystem(), args);
    }

    /** {@link #run(String...)} with option defaults from {@code environment} instead of the process's. */
    static int run(EnvironmentDefaults environment, String... args) {
        CommandLine cli = new CommandLine(new SeqrecCli());
        cli.setDefaultValueProvider(environment);
        cli.setParameterExceptionHandler((ex, arguments) -> {
            // a value the user never typed: say which variable it came from
            ex.getCommandLine().getErr().println("seqrec: " + ex.getMessage() + environment.sources(ex, arguments));
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

    static String describe(Throwable ex) {
        if (ex instanceof FileSystemException e && e.getReason() == null && e.getFile() != null) {
            // Java says only which file for these: "/tmp/out" for a file where a directory should be
            return e.getMessage() + ": " + fileProblem(e);
        }
        String message = ex.getMessage();
        return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
    }

    /** In words, what the class of a file-system exception without a reason says. */
    private static String fileProblem(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemLoopException) {
            return "symbolic links form a loop";
        }
        if (e instanceof NotLinkException) {
            return "not a symbolic link";
        }
        return "file system error (" + e.getClass().getSimpleName() + ")";
    }
}
