package dev.seqrec.streaming;

import dev.seqrec.eval.data.DatasetReader;
import dev.seqrec.eval.data.ReadOptions;
import dev.seqrec.report.ProgressBar;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Replays a dataset file (any format {@link DatasetReader} reads) into Kafka as interaction events keyed by user:
 * in time order when the file has timestamps (ties keep file order), else user by user in file order. Either way
 * each user's events arrive in their order, which the key keeps within one partition.
 */
public final class DatasetImporter {
    /** Producer tuning for a bulk replay: large batches, a short linger, compressed. */
    private static final int BATCH_BYTES = 256 * 1024;
    private static final int LINGER_MS = 5;

    private DatasetImporter() {
    }

    /** What an import sent. */
    public record ImportResult(long events, long users, boolean timeOrdered, int partitions, double seconds) {
    }

    public static ImportResult importFile(Path file, ReadOptions readOptions, ImportConfig config, ProgressBar.Mode progress)
            throws IOException {
        List<Interaction> events = new ArrayList<>();
        boolean[] timed = {false};
        DatasetReader.forEachInteraction(file, readOptions, (user, item, timestamp) -> {
            timed[0] = timestamp.isPresent();
            long ts = timestamp.isPresent() ? config.timestampUnit().toEpochMillis(timestamp.getAsDouble()) : 0;
            events.add(new Interaction(user, item, ts, config.eventType()));
        });
        checkIds(file, events, config.maxIdBytes());
        Interaction[] ordered = events.toArray(Interaction[]::new);
        if (timed[0]) {
            Arrays.sort(ordered, Comparator.comparingLong(Interaction::timestampMillis)); // stable
        }
        long users = events.stream().map(Interaction::user).distinct().count();
        int partitions = KafkaTopics.ensure(config.bootstrapServers(), config.topic(), config.partitions(),
                config.replicationFactor());
        long start = System.nanoTime();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties(config));
             ProgressBar bar = ProgressBar.start("import " + file.getFileName() + " -> " + config.topic(),
                     ordered.length, System.err, progress, ProgressBar.Settings.DEFAULTS, System::nanoTime)) {
            for (Interaction event : ordered) {
                if (failure.get() != null) {
                    break;
                }
                producer.send(new ProducerRecord<>(config.topic(), event.user().getBytes(StandardCharsets.UTF_8),
                        InteractionEventCodec.encode(event)), (metadata, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    } else {
                        bar.step();
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IOException("cannot send to topic " + config.topic() + " on " + config.bootstrapServers() + ": "
                    + failure.get().getMessage(), failure.get());
        }
        return new ImportResult(ordered.length, users, timed[0], partitions, (System.nanoTime() - start) / 1e9);
    }

    /**
     * Refuses the file, before the topic is created or anything sent, when an id breaks the rules ingest decodes by
     * (with {@code maxIdBytes} as its {@code --max-id-bytes}): each such event would only go to the dead-letter topic.
     */
    private static void checkIds(Path file, List<Interaction> events, int maxIdBytes) throws IOException {
        InteractionEventCodec codec = new InteractionEventCodec(maxIdBytes);
        for (Interaction event : events) {
            try {
                codec.checkId("user", event.user());
            } catch (MalformedEventException e) {
                throw new IOException(file + ": cannot import user " + quoted(event.user()) + ": " + e.getMessage()
                        + "; nothing was sent");
            }
            try {
                codec.checkId("item", event.item());
            } catch (MalformedEventException e) {
                throw new IOException(file + ": cannot import item " + quoted(event.item()) + " of user "
                        + quoted(event.user()) + ": " + e.getMessage() + "; nothing was sent");
            }
        }
    }

    /** The id in quotes, with the characters a terminal would not show (controls, tabs, U+FEFF) as escapes. */
    private static String quoted(String id) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isISOControl(c) || (Character.isWhitespace(c) && c != ' ')
                    || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static Map<String, Object> producerProperties(ImportConfig config) {
        return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true",
                ProducerConfig.BATCH_SIZE_CONFIG, BATCH_BYTES,
                ProducerConfig.LINGER_MS_CONFIG, LINGER_MS,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    }
}
