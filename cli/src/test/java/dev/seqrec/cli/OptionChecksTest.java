package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class OptionChecksTest {
    private final CommandLine.Model.CommandSpec ingest = new CommandLine(new IngestCommand()).getCommandSpec();

    /** The Kafka clients take a broker's listener as it is written (PLAINTEXT://host:port). */
    @Test
    void aBootstrapWithAListenerPrefixIsAccepted() {
        assertDoesNotThrow(() -> OptionChecks.kafkaBootstrap(ingest, "--bootstrap", "PLAINTEXT://127.0.0.1:9092"));
        assertDoesNotThrow(() -> OptionChecks.kafkaBootstrap(ingest, "--bootstrap", "localhost:9092,[::1]:9093"));
    }

    @Test
    void aBootstrapWithoutAPortOrWithOnlyUnresolvableHostsIsRefused() {
        assertEquals("--bootstrap must be HOST:PORT[,HOST:PORT...], got 'localhost'", assertThrows(
                CommandLine.ParameterException.class,
                () -> OptionChecks.kafkaBootstrap(ingest, "--bootstrap", "localhost")).getMessage());
        assertEquals("--bootstrap nowhere.invalid:9092: cannot resolve host nowhere.invalid", assertThrows(
                CommandLine.ParameterException.class,
                () -> OptionChecks.kafkaBootstrap(ingest, "--bootstrap", "nowhere.invalid:9092")).getMessage());
    }
}
