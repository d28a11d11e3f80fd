package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class EnvironmentDefaultsTest {

    @Command(name = "seqrec", subcommands = Ingest.class)
    static final class Launcher {
    }

    @Command(name = "ingest")
    static final class Ingest {
        @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092")
        String bootstrap;
        @Option(names = {"-t", "--max-poll-records"}, defaultValue = "500")
        int maxPollRecords;
        @Option(names = "--store", required = true)
        String store;

        @Option(names = "--old-store", hidden = true)
        void oldStore(String value) {
            store = value;
        }
    }

    private static Ingest parse(Map<String, String> environment, String... args) {
        CommandLine cli = new CommandLine(new Launcher());
        cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
        CommandLine.ParseResult result = cli.parseArgs(args);
        return (Ingest) result.subcommand().commandSpec().userObject();
    }

    @Test
    void variableIsNamedAfterTheSubcommandAndTheLongestOptionName() {
        assertEquals("SEQREC_INGEST_MAX_POLL_RECORDS", EnvironmentDefaults.variableName("seqrec ingest", "--max-poll-records"));
        assertEquals("SEQREC_BENCH_INGEST_TOPIC", EnvironmentDefaults.variableName("seqrec bench ingest", "--topic"));
    }

    @Test
    void environmentVariableReplacesTheOptionDefault() {
        Ingest ingest = parse(Map.of("SEQREC_INGEST_BOOTSTRAP", "kafka:9092", "SEQREC_INGEST_MAX_POLL_RECORDS", "42"),
                "ingest", "--store", "s");
        assertEquals("kafka:9092", ingest.bootstrap);
        assertEquals(42, ingest.maxPollRecords);
    }

    @Test
    void flagOnTheCommandLineWinsOverTheEnvironment() {
        Ingest ingest = parse(Map.of("SEQREC_INGEST_BOOTSTRAP", "kafka:9092"), "ingest", "--bootstrap", "10.0.0.1:9092", "--store", "s");
        assertEquals("10.0.0.1:9092", ingest.bootstrap);
    }

    @Test
    void unsetVariableKeepsTheOptionDefault() {
        assertEquals("127.0.0.1:9092", parse(Map.of(), "ingest", "--store", "s").bootstrap);
    }

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    @TempDir
    Path dir;

    private int evalTiny(Map<String, String> environment, String... options) throws IOException {
        Path data = Files.writeString(dir.resolve("tiny.txt"), "u1 1 2 3\n");
        List<String> args = new ArrayList<>(List.of("eval", "--no-progress", "--data", data.toString(), "--model", "pop"));
        args.addAll(List.of(options));
        return SeqrecCli.run(new EnvironmentDefaults(environment), args.toArray(String[]::new));
    }

    @Test
    void aBadValueFromAVariableIsAUsageErrorNamingTheVariable() throws IOException {
        assertEquals(2, evalTiny(Map.of("SEQREC_EVAL_K_CORE", "abc")));
        assertEquals("seqrec: Invalid value for option '--k-core': 'abc' is not an int (from SEQREC_EVAL_K_CORE)\n",
                console.stderr());
    }

    @Test
    void aValueFromAVariableThatTheCommandRefusesIsNamedByTheVariableToo() throws IOException {
        assertEquals(2, evalTiny(Map.of("SEQREC_EVAL_K_CORE", "-1")));
        assertEquals("seqrec: --k-core must be >= 0, got -1 (from SEQREC_EVAL_K_CORE)\n", console.stderr());
    }

    @Test
    void aBadValueOnTheCommandLineIsNotBlamedOnAVariable() throws IOException {
        assertEquals(2, evalTiny(Map.of("SEQREC_EVAL_K_CORE", "abc"), "--k-core", "xyz"));
        assertEquals("seqrec: Invalid value for option '--k-core': 'xyz' is not an int\n", console.stderr());
        assertEquals(2, evalTiny(Map.of("SEQREC_EVAL_K_CORE", "-1"), "--k-core=-2"));
        assertEquals("seqrec: Invalid value for option '--k-core': 'xyz' is not an int\n"
                + "seqrec: --k-core must be >= 0, got -2\n", console.stderr());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "SEQREC_EVAL_MODEL|eval --data DIR/tiny.txt|--model must be one of pop, got 'foo'",
            "SEQREC_TRAIN_MODEL|train --data DIR/tiny.txt --out DIR/run|--model must be one of sasrec, cl4srec, "
                    + "mclrec, got 'foo'",
            "SEQREC_TRAIN_PRESET|train --data DIR/tiny.txt --out DIR/run --model sasrec|--preset must be one of "
                    + "beauty, sports, toys, yelp, ml-1m, got 'foo'",
            "SEQREC_BENCH_TRAIN_BATCHING|bench train --data DIR/tiny.txt|--batching must be one of uniform, "
                    + "length-buckets, got 'foo'",
            "SEQREC_VISION_TRAIN_LOSS|vision train --data DIR/no-images --out DIR/run|--loss must be one of "
                    + "infonce, dcl, dclw, supcon, got 'foo'",
    })
    void aChoiceFromAVariableThatNamesNoChoiceIsNamedByTheVariable(String variable, String command, String message) {
        // nothing is read: the choice is refused first
        String[] args = command.replace("DIR", dir.toString()).split(" ");
        assertEquals(2, SeqrecCli.run(new EnvironmentDefaults(Map.of(variable, "foo")), args));
        assertEquals("seqrec: " + message + " (from " + variable + ")\n", console.stderr());
    }

    @Test
    void requiredOptionIsSatisfiedByItsVariable() {
        assertEquals("/var/lib/seqrec/store", parse(Map.of("SEQREC_INGEST_STORE", "/var/lib/seqrec/store"), "ingest").store);
    }
}
