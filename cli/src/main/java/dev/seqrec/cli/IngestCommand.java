package dev.seqrec.cli;

import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.IngestProcess;
import dev.seqrec.streaming.InteractionEventCodec;
import dev.seqrec.streaming.StoreConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code seqrec ingest}: consumes interaction events into a sequence store until SIGTERM. */
@Command(name = "ingest",
        mixinStandardHelpOptions = true,
        description = "Consumes interaction events ({\"user\",\"item\",\"ts\"?,\"type\"?} keyed by user) from a Kafka "
                + "topic into a RocksDB sequence store, exactly once: data and offsets are written together. Malformed "
                + "events go to <topic>.dlq. Logs events/s and lag; stops cleanly on Ctrl-C or SIGTERM.")
public final class IngestCommand implements Callable<Integer> {
    /** One log line per record: time, level, message. */
    static final String LOG_FORMAT = "%1$tF %1$tT %4$s %5$s%6$s%n";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Topic of interaction events.")
    String topic;

    @Option(names = "--store", required = true, paramLabel = "DIR", description = "Sequence store directory (created if missing).")
    Path store;

    @Option(names = "--group", paramLabel = "ID", defaultValue = IngestConfig.DEFAULT_GROUP_ID,
            description = "Consumer group; instances of one group share the partitions. Default: ${DEFAULT-VALUE}.")
    String group;

    @Option(names = "--instance-id", paramLabel = "ID",
            description = "Static group membership: a restarted instance with the same id gets its partitions back at once.")
    String instanceId;

    @Option(names = "--dlq-topic", paramLabel = "TOPIC", description = "Dead-letter topic. Default: <topic>.dlq.")
    String dlqTopic;

    @Option(names = "--max-length", paramLabel = "N",
            description = "Items kept per user, oldest dropped. Recorded in the store when it is created. Default: "
                    + "the store's recorded value (" + StoreConfig.DEFAULT_MAX_SEQUENCE_LENGTH + " for a new store); "
                    + "another value than an existing store's is refused.")
    Integer maxLength;

    @Option(names = "--start", paramLabel = "earliest|latest", defaultValue = "earliest",
            description = "Where to start in partitions this store has never consumed. Default: ${DEFAULT-VALUE}.")
    String start;

    @Option(names = "--max-poll-records", paramLabel = "N", defaultValue = "" + IngestConfig.DEFAULT_MAX_POLL_RECORDS,
            description = "Records per poll and write batch. Default: ${DEFAULT-VALUE}.")
    int maxPollRecords;

    @Option(names = "--log-interval", paramLabel = "SECONDS", defaultValue = "10",
            description = "Seconds between metric log lines. Default: ${DEFAULT-VALUE}.")
    long logIntervalSeconds;

    @Option(names = "--max-id-bytes", paramLabel = "N", defaultValue = "" + InteractionEventCodec.DEFAULT_MAX_ID_BYTES,
            description = "Longest accepted user or item id in UTF-8 bytes. Default: ${DEFAULT-VALUE}.")
    int maxIdBytes;

    @Option(names = "--writer-threads", paramLabel = "N", defaultValue = "" + IngestConfig.DEFAULT_WRITER_THREADS,
            description = "Threads writing to RocksDB, each owning a share of the partitions. Default: ${DEFAULT-VALUE}.")
    int writerThreads;

    @Option(names = "--flush-interval", paramLabel = "MILLIS", defaultValue = "" + IngestConfig.DEFAULT_FLUSH_INTERVAL_MILLIS,
            description = "While working off a backlog, appends are coalesced in memory and stored with their offsets at "
                    + "least this often (at once when caught up; a crash replays the rest from Kafka). Default: ${DEFAULT-VALUE}.")
    long flushIntervalMillis;

    @Override
    public Integer call() throws InterruptedException {
        IngestConfig config;
        StoreConfig storeConfig;
        try {
            IngestConfig.StartPosition position = switch (start) {
                case "earliest" -> IngestConfig.StartPosition.EARLIEST;
                case "latest" -> IngestConfig.StartPosition.LATEST;
                default -> throw new IllegalArgumentException("--start must be earliest or latest, got '" + start + "'");
            };
            if (flushIntervalMillis < 0) {
                throw new IllegalArgumentException("--flush-interval must be >= 0 milliseconds, got " + flushIntervalMillis);
            }
            checkOptions();
            config = new IngestConfig(bootstrap, topic, group, dlqTopic == null ? topic + IngestConfig.DLQ_SUFFIX : dlqTopic,
                    maxPollRecords, IngestConfig.DEFAULT_POLL_TIMEOUT, Duration.ofSeconds(logIntervalSeconds), maxIdBytes,
                    position, instanceId == null ? Map.of() : Map.of("group.instance.id", instanceId), writerThreads,
                    Duration.ofMillis(flushIntervalMillis), IngestConfig.DEFAULT_ADMIN_TIMEOUT);
            storeConfig = maxLength == null ? StoreConfig.defaults() : StoreConfig.defaults().withMaxSequenceLength(maxLength);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        useOneLineLogs();
        IngestProcess.runUntilStopped(config, store, storeConfig);
        return 0;
    }

    /**
     * What IngestConfig and StoreConfig would refuse, refused first in the words of the options: their own messages
     * name their record fields (writerThreads, maxSequenceLength), which the user never typed.
     */
    private void checkOptions() {
        OptionChecks.kafkaBootstrap(spec, "--bootstrap", bootstrap);
        OptionChecks.notBlank(spec, "--topic", topic);
        OptionChecks.notBlank(spec, "--group", group);
        if (dlqTopic != null) {
            OptionChecks.notBlank(spec, "--dlq-topic", dlqTopic);
        }
        if (maxLength != null) {
            OptionChecks.between(spec, "--max-length", maxLength, 1, StoreConfig.LARGEST_MAX_SEQUENCE_LENGTH);
        }
        OptionChecks.atLeast(spec, "--max-poll-records", maxPollRecords, 1);
        OptionChecks.atLeast(spec, "--log-interval", logIntervalSeconds, 1);
        OptionChecks.atLeast(spec, "--max-id-bytes", maxIdBytes, 1);
        OptionChecks.atLeast(spec, "--writer-threads", writerThreads, 1);
        OptionChecks.directory(spec, "--store", store);
    }

    /** java.util.logging prints two lines per record by default; one reads better in a terminal and a log file. */
    static void useOneLineLogs() {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", LOG_FORMAT);
        }
    }
}
