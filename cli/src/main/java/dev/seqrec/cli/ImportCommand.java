package dev.seqrec.cli;

import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.report.ProgressBar;
import dev.seqrec.streaming.DatasetImporter;
import dev.seqrec.streaming.ImportConfig;
import dev.seqrec.streaming.InteractionEventCodec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code seqrec import}: replays a dataset file into a Kafka topic as interaction events. */
@Command(name = "import",
        mixinStandardHelpOptions = true,
        description = "Replays a dataset (any format seqrec eval reads) into a Kafka topic as interaction events keyed "
                + "by user: in time order when the file has timestamps, else user by user in file order. Creates the "
                + "topic when it does not exist (--partitions, and the broker's default replication factor unless "
                + "--replication-factor is given).")
public final class ImportCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "FILE",
            description = "Interaction file: .txt (user item item ...), .inter (RecBole atomic) or .csv (user,item[,timestamp]).")
    Path data;

    @Option(names = "--data-format", paramLabel = "txt|inter|csv", description = "Read --data in this format whatever its extension.")
    String dataFormat;

    @Option(names = "--bootstrap", required = true, paramLabel = "HOST:PORT", description = "Kafka bootstrap servers.")
    String bootstrap;

    @Option(names = "--topic", required = true, paramLabel = "TOPIC", description = "Destination topic.")
    String topic;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = "" + ImportConfig.DEFAULT_PARTITIONS,
            description = "Partitions when the topic is created. Default: ${DEFAULT-VALUE}.")
    int partitions;

    @Option(names = "--replication-factor", paramLabel = "N",
            description = "Replication factor when the topic is created. Default: the broker's default.replication.factor.")
    Integer replicationFactor;

    @Option(names = "--timestamp-unit", paramLabel = "s|ms", defaultValue = "s",
            description = "Unit of the file's timestamps, sent as epoch milliseconds in \"ts\". Default: ${DEFAULT-VALUE}.")
    String timestampUnit;

    @Option(names = "--type", paramLabel = "TYPE", description = "Event type to put in every event (e.g. view).")
    String type;

    @Option(names = "--max-id-bytes", paramLabel = "N", defaultValue = "" + InteractionEventCodec.DEFAULT_MAX_ID_BYTES,
            description = "Longest user or item id sent, in UTF-8 bytes: ingest's --max-id-bytes. Default: ${DEFAULT-VALUE}.")
    int maxIdBytes;

    @Option(names = "--no-progress", description = "Print progress as occasional log lines instead of a bar.")
    boolean noProgress;

    @Override
    public Integer call() throws IOException {
        ImportConfig config;
        ReadOptions readOptions = ReadOptions.DEFAULTS;
        try {
            ImportConfig.TimestampUnit unit = switch (timestampUnit) {
                case "s" -> ImportConfig.TimestampUnit.SECONDS;
                case "ms" -> ImportConfig.TimestampUnit.MILLISECONDS;
                default -> throw new IllegalArgumentException("--timestamp-unit must be s or ms, got '" + timestampUnit + "'");
            };
            // ImportConfig's own messages name its fields ("partitions must be at least 1"), not the options
            OptionChecks.kafkaBootstrap(spec, "--bootstrap", bootstrap);
            OptionChecks.notBlank(spec, "--topic", topic);
            OptionChecks.atLeast(spec, "--partitions", partitions, 1);
            OptionChecks.atLeast(spec, "--max-id-bytes", maxIdBytes, 1);
            if (replicationFactor != null && (replicationFactor < 1 || replicationFactor > Short.MAX_VALUE)) {
                throw new IllegalArgumentException("--replication-factor must be in 1.." + Short.MAX_VALUE + ", got "
                        + replicationFactor);
            }
            config = new ImportConfig(bootstrap, topic, partitions, unit, type, maxIdBytes,
                    replicationFactor == null ? Optional.empty() : Optional.of(replicationFactor.shortValue()));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        readOptions = readOptions.withFormat(EvalCommand.dataFormat(data, dataFormat, spec));
        DatasetImporter.ImportResult result = DatasetImporter.importFile(data, readOptions, config,
                noProgress ? ProgressBar.Mode.LOG_LINES : ProgressBar.Mode.detect());
        spec.commandLine().getOut().printf(Locale.ROOT,
                "sent %,d %s of %,d %s to %s (%s) in %.1f s (%,.0f events/s), %s%n",
                result.events(), Plural.noun(result.events(), "event"), result.users(),
                Plural.noun(result.users(), "user"), topic, Plural.count(result.partitions(), "partition"),
                result.seconds(), result.events() / Math.max(result.seconds(), 1e-9),
                result.timeOrdered() ? "in time order" : "user by user in file order (the file has no timestamps)");
        return 0;
    }
}
