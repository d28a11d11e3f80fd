package dev.seqrec.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IngestConfigTest {

    private static IngestConfig withDeadLetterTopic(String topic, String dlqTopic) {
        return new IngestConfig("127.0.0.1:9092", topic, IngestConfig.DEFAULT_GROUP_ID, dlqTopic,
                IngestConfig.DEFAULT_MAX_POLL_RECORDS, IngestConfig.DEFAULT_POLL_TIMEOUT,
                IngestConfig.DEFAULT_METRICS_LOG_INTERVAL, InteractionEventCodec.DEFAULT_MAX_ID_BYTES,
                IngestConfig.StartPosition.EARLIEST, Map.of(), IngestConfig.DEFAULT_WRITER_THREADS,
                IngestConfig.DEFAULT_FLUSH_INTERVAL, IngestConfig.DEFAULT_ADMIN_TIMEOUT);
    }

    @Test
    void aDeadLetterTopicEqualToTheSourceTopicIsRefusedSayingWhy() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withDeadLetterTopic("events", "events"));
        assertEquals("the dead-letter topic must differ from the topic 'events': malformed events sent there would "
                + "be consumed again", e.getMessage());
    }

    @Test
    void anEmptyDeadLetterTopicIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> withDeadLetterTopic("events", " "));
        assertEquals("dlqTopic must not be empty", e.getMessage());
    }

    @Test
    void anyOtherDeadLetterTopicIsAccepted() {
        assertEquals("events-bad", withDeadLetterTopic("events", "events-bad").dlqTopic());
    }

    @Test
    void theDefaultDeadLetterTopicIsTheTopicWithTheDlqSuffix() {
        assertEquals("events.dlq", IngestConfig.of("127.0.0.1:9092", "events").dlqTopic());
    }
}
