package dev.seqrec.streaming;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Topic administration the tools need. */
public final class KafkaTopics {
    /** How long an admin request waits for the cluster, unless the caller says otherwise. */
    static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka's own default of request.timeout.ms for the admin client. */
    private static final int DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
    /** How often a deleted topic's disappearance is checked. */
    private static final Duration DELETION_POLL = Duration.ofMillis(200);

    private KafkaTopics() {
    }

    /** Creates {@code topic} with {@code partitions} partitions unless it exists; returns its partition count. */
    public static int ensure(String bootstrapServers, String topic, int partitions, short replicationFactor) {
        return ensure(bootstrapServers, topic, partitions, Optional.of(replicationFactor));
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and the replication factor given (empty: the
     * broker's {@code default.replication.factor}) unless it exists; returns its partition count.
     */
    public static int ensure(String bootstrapServers, String topic, int partitions, Optional<Short> replicationFactor) {
        return withAdmin(bootstrapServers, "create", topic, admin -> {
            if (create(admin, new NewTopic(topic, Optional.of(partitions), replicationFactor), ADMIN_TIMEOUT)) {
                return partitions; // just created: describing it at once may race the metadata propagation
            }
            return admin.describeTopics(List.of(topic)).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic).partitions().size();
        });
    }

    /**
     * Creates {@code topic} with the broker's default partition count and replication factor, as the broker's
     * auto-creation would, and the topic configs given, unless it exists; an existing topic is left as it is.
     */
    public static void ensureWithBrokerDefaults(Map<String, Object> clientConfig, String topic,
                                                Map<String, String> configs) {
        ensureWithBrokerDefaults(clientConfig, topic, configs, ADMIN_TIMEOUT);
    }

    /** {@link #ensureWithBrokerDefaults(Map, String, Map)}, each request waiting up to {@code timeout}. */
    public static void ensureWithBrokerDefaults(Map<String, Object> clientConfig, String topic,
                                                Map<String, String> configs, Duration timeout) {
        withAdmin(clientConfig, timeout, "create", topic, admin -> create(admin,
                new NewTopic(topic, Optional.empty(), Optional.empty()).configs(configs), timeout));
    }

    /**
     * The topic's id, which tells a topic from one deleted and created again under its name; empty from a broker
     * that gives topics no ids (before Kafka 2.8).
     */
    public static Optional<String> topicId(Map<String, Object> clientConfig, String topic) {
        return topicId(clientConfig, topic, ADMIN_TIMEOUT);
    }

    /** {@link #topicId(Map, String)}, waiting up to {@code timeout}. */
    public static Optional<String> topicId(Map<String, Object> clientConfig, String topic, Duration timeout) {
        return withAdmin(clientConfig, timeout, "describe", topic, admin -> {
            Uuid id = admin.describeTopics(List.of(topic)).topicNameValues().get(topic)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS).topicId();
            return id == null || Uuid.ZERO_UUID.equals(id) ? Optional.empty() : Optional.of(id.toString());
        });
    }

    /** Deletes {@code topic} and waits until the broker no longer lists it, so that it can be created again. */
    public static void delete(String bootstrapServers, String topic) {
        withAdmin(bootstrapServers, "delete", topic, admin -> {
            admin.deleteTopics(List.of(topic)).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            long deadline = System.nanoTime() + ADMIN_TIMEOUT.toNanos();
            while (admin.listTopics().names().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " at " + bootstrapServers + " is still there "
                            + ADMIN_TIMEOUT.toSeconds() + " s after its deletion");
                }
                Thread.sleep(DELETION_POLL.toMillis());
            }
            return null;
        });
    }

    /** True when the topic was created, false when it existed. */
    private static boolean create(Admin admin, NewTopic topic, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                return false;
            }
            throw e;
        }
    }

    private interface AdminCall<T> {
        T call(Admin admin) throws ExecutionException, InterruptedException, TimeoutException;
    }

    private static <T> T withAdmin(String bootstrapServers, String verb, String topic, AdminCall<T> call) {
        return withAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), ADMIN_TIMEOUT,
                verb, topic, call);
    }

    /**
     * @param clientConfig the bootstrap servers and whatever else the cluster needs (security settings)
     * @param timeout      how long each request waits for the cluster
     * @param verb         what is done to the topic, for errors: "create", "delete"
     */
    private static <T> T withAdmin(Map<String, Object> clientConfig, Duration timeout, String verb, String topic,
                                   AdminCall<T> call) {
        Map<String, Object> adminConfig = new HashMap<>(clientConfig);
        adminConfig.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        // The admin client refuses an API timeout below its request timeout (30 s by default)
        adminConfig.putIfAbsent(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) Math.min(timeout.toMillis(), DEFAULT_REQUEST_TIMEOUT_MILLIS));
        String bootstrapServers = String.valueOf(clientConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        Admin admin = Admin.create(adminConfig);
        try {
            return call.call(admin);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                // the client's words, "Timed out waiting for a node assignment", for a broker that never answered
                throw new IllegalStateException("cannot " + verb + " topic " + topic + ": no answer from Kafka at "
                        + bootstrapServers + " within " + timeout.toSeconds() + " s", e.getCause());
            }
            throw new IllegalStateException("cannot " + verb + " topic " + topic + " on " + bootstrapServers + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer from Kafka at " + bootstrapServers + " within "
                    + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while trying to " + verb + " topic " + topic, e);
        } finally {
            admin.close(Duration.ZERO); // fails what is still pending (after an interrupt) instead of waiting for it
        }
    }
}
