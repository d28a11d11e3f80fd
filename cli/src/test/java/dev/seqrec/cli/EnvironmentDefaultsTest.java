package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
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

    @Test
    void requiredOptionIsSatisfiedByItsVariable() {
        assertEquals("/var/lib/seqrec/store", parse(Map.of("SEQREC_INGEST_STORE", "/var/lib/seqrec/store"), "ingest").store);
    }
}
