package dev.seqrec.recommender.service;

import dev.seqrec.recommender.Recommender;
import dev.seqrec.streaming.IngestConfig;
import dev.seqrec.streaming.IngestMetrics;
import dev.seqrec.streaming.Interaction;
import dev.seqrec.streaming.InteractionEventCodec;
import dev.seqrec.streaming.InteractionIngestor;
import dev.seqrec.streaming.MalformedEventException;
import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the store current: with {@code seqrec.serve.bootstrap} the streaming consumer runs inside the service (and
 * {@code POST /v1/events} produces to the topic); without it the store follows the process that writes it.
 */
@Context
@Singleton
public class Ingestion {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestion.class);

    /**
     * Live ingestion figures.
     *
     * @param running         whether events are being consumed inside the service
     * @param events          events stored (by this service's consumer, else the store's total)
     * @param eventsPerSecond events stored per second recently; null when the service does not ingest
     * @param lag             events on the topic not yet consumed; null when unknown or not ingesting
     * @param deadLetters     malformed events sent to the dead-letter topic
     * @param users           users in the store
     * @param items           distinct items in the store
     */
    @Serdeable
    public record Figures(boolean running, long events, Double eventsPerSecond, Long lag, long deadLetters,
                          long users, long items) {
    }

    /** Where a produced event landed. */
    @Serdeable
    public record Published(String topic, int partition, long offset) {
    }

    private final ServeConfig config;
    private final RocksSequenceStore store;
    private final InteractionIngestor ingestor;
    private final KafkaProducer<byte[], byte[]> producer;
    /** The consumer's own rules (and id limit), so no accepted event ends up in the dead-letter topic. */
    private final InteractionEventCodec codec;
    private final PeriodicTask catchUp;

    public Ingestion(ServeConfig config, RocksSequenceStore store, Recommender recommender, MeterRegistry registry) {
        this.config = config;
        this.store = store;
        if (config.ingests()) {
            IngestConfig ingest = config.ingestConfig();
            // Before the consumer starts: a bad bootstrap fails here, with no thread left running.
            this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap(),
                    ProducerConfig.ACKS_CONFIG, "all",
                    // send() waits this long for metadata or buffer space, on the request's thread...
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, config.eventsMaxBlock().toMillis(),
                    // ...and a sent event as long again for the broker's acknowledgement (Kafka's default: 2 min,
                    // with a broker that went away after the metadata came); no lingering, an event is sent alone
                    ProducerConfig.LINGER_MS_CONFIG, 0,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) config.eventsMaxBlock().toMillis(),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) config.eventsMaxBlock().toMillis(),
                    ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                    ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
            this.codec = new InteractionEventCodec(ingest.maxIdBytes());
            try {
                this.ingestor = new InteractionIngestor(ingest, store);
                ingestor.setModelVocabulary(recommender.model().items());
                ingestor.start();
            } catch (RuntimeException e) {
                producer.close(Duration.ZERO);
                throw e;
            }
            LOG.info("ingesting topic {} from {} into {}", config.topic(), config.bootstrap(), store.directory());
            this.catchUp = null;
        } else {
            this.ingestor = null;
            this.producer = null;
            this.codec = null;
            this.catchUp = new PeriodicTask("seqrec-store-catch-up", config.storeCatchUpInterval(), store::catchUp);
        }
        Gauge.builder("seqrec.ingestion.lag", this, i -> nullToNaN(i.figures().lag()))
                .description("Events on the topic not yet in the store").register(registry);
        Gauge.builder("seqrec.ingestion.events", this, i -> i.figures().events())
                .description("Events stored").register(registry);
        Gauge.builder("seqrec.ingestion.dead.letters", this, i -> i.figures().deadLetters())
                .description("Malformed events sent to the dead-letter topic").register(registry);
    }

    public boolean ingests() {
        return ingestor != null;
    }

    /** Whether the in-service consumer, if there is one, has died. */
    public Throwable failure() {
        return ingestor == null ? null : ingestor.failure();
    }

    /** Items unknown to a newly served model are counted against its vocabulary. */
    void modelChanged(Recommender recommender) {
        if (ingestor != null) {
            ingestor.setModelVocabulary(recommender.model().items());
        }
    }

    public Figures figures() {
        StoreCounts counts = store.counts();
        if (ingestor == null) {
            return new Figures(false, counts.events(), null, null, counts.rejected(), counts.users(), counts.items());
        }
        IngestMetrics m = ingestor.metrics();
        return new Figures(m.running(), m.events(), m.eventsPerSecond(), m.lag() < 0 ? null : m.lag(), m.rejected(),
                counts.users(), counts.items());
    }

    /**
     * Produces an interaction event to the topic, keyed by user, in the streaming module's format.
     *
     * @throws IllegalArgumentException for an event the consumer would refuse, with its reason
     */
    public CompletableFuture<Published> publish(Interaction interaction) {
        if (producer == null) {
            throw new IngestionUnavailableException();
        }
        byte[] key = interaction.user().getBytes(StandardCharsets.UTF_8);
        byte[] value = InteractionEventCodec.encode(interaction);
        try {
            codec.decode(key, value, interaction.timestampMillis());
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException("event refused: " + e.getMessage());
        }
        CompletableFuture<Published> done = new CompletableFuture<>();
        try {
            producer.send(new ProducerRecord<>(config.topic(), key, value), (RecordMetadata meta, Exception error) -> {
                if (error != null) {
                    done.completeExceptionally(new PublishFailedException(config.topic(), error));
                } else {
                    done.complete(new Published(meta.topic(), meta.partition(), meta.offset()));
                }
            });
        } catch (KafkaException e) {
            done.completeExceptionally(new PublishFailedException(config.topic(), e));
        }
        return done;
    }

    @PreDestroy
    void close() {
        if (catchUp != null) {
            catchUp.close();
        }
        if (producer != null) {
            producer.close(config.eventsMaxBlock());
        }
        if (ingestor != null) {
            ingestor.close();
        }
    }

    private static double nullToNaN(Long value) {
        return value == null ? Double.NaN : value;
    }

    /** The broker did not take an event (unreachable, or slower than {@code events-max-block}): worth a retry. */
    public static final class PublishFailedException extends RuntimeException {
        PublishFailedException(String topic, Exception cause) {
            super("the event was not produced to topic " + topic + ": " + cause.getMessage(), cause);
        }
    }

    /** Events were posted to a service started without a broker. */
    public static final class IngestionUnavailableException extends RuntimeException {
        IngestionUnavailableException() {
            super("this service does not ingest: start it with --bootstrap HOST:PORT to accept events");
        }
    }
}
