package dev.seqrec.streaming;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

class KafkaTopicsTest {
    /** Nothing listens on port 1, so every admin request waits out its timeout. */
    private static final Map<String, Object> NO_BROKER = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");

    @Test
    void anAdminTimeoutShorterThanKafkasRequestTimeoutIsWaitedOutNotRefusedAsAConfiguration() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaTopics.topicId(NO_BROKER, "t", Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
    }

    /** Whichever times out first, the client's request or the wait for it: not "Timed out waiting for a node assignment". */
    @Test
    void aBrokerThatNeverAnswersIsSaidToNotAnswer() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KafkaTopics.ensureWithBrokerDefaults(NO_BROKER, "t", Map.of(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("no answer from Kafka at 127.0.0.1:1 within 1 s"), e.getMessage());
    }
}
