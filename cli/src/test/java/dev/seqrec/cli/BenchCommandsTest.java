package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.trainer.training.TrainingBenchmark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code seqrec bench} and its benchmarks say about themselves, and the options they take. */
class BenchCommandsTest {

    private static CommandLine command(String... path) {
        CommandLine command = new CommandLine(new SeqrecCli());
        for (String name : path) {
            command = command.getSubcommands().get(name);
        }
        return command;
    }

    /** The help of {@code seqrec PATH}, with its line breaks and indents made single spaces. */
    private static String help(String... path) {
        StringWriter help = new StringWriter();
        command(path).usage(new PrintWriter(help, true));
        return help.toString().replaceAll("\\s+", " ");
    }

    @Test
    void benchHelpPromisesAChartOnlyFromTheBenchmarksThatWriteOne() {
        String help = help("bench");
        assertFalse(help.contains("Each prints its figures, how they were measured, and writes a chart"), help);
        assertTrue(help.contains("ingest, ingest-writers and serve also write a chart"), help);
        assertFalse(help("bench", "train").contains("chart"), "bench train writes none");
    }

    @Test
    void benchTrainHelpCountsTheWarmUpStepsItsProgressShows() {
        // the progress bar's "steps (4 warm-up)": the first batches and then the widest timed one
        int warmUp = TrainingBenchmark.WARMUP_STEPS + 1;
        String help = help("bench", "train");
        assertTrue(help.contains("after " + warmUp + " warm-up steps"), help);
    }

    @Test
    void benchServeWritesWhereOutSaysLikeEveryOtherCommand() {
        CommandLine.ParseResult parsed = command().parseArgs("bench", "serve", "--out", "results");
        BenchServeCommand serve = (BenchServeCommand) parsed.subcommand().subcommand().commandSpec().userObject();
        assertEquals(Path.of("results"), serve.out);
        String help = help("bench", "serve");
        assertTrue(help.contains("--out=DIR") && !help.contains("--output"), help);
    }

    @Test
    void benchServeDescribesItsOptionsInSentencesAsOtherCommandsDo() {
        List<String> lowerCase = new ArrayList<>();
        for (CommandLine.Model.OptionSpec option : command("bench", "serve").getCommandSpec().options()) {
            String description = String.join(" ", option.description());
            if (!option.hidden() && !Character.isUpperCase(description.charAt(0))) {
                lowerCase.add(option.longestName() + ": " + description);
            }
        }
        assertEquals(List.of(), lowerCase);
    }
}
