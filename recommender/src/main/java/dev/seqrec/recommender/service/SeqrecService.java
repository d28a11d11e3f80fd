package dev.seqrec.recommender.service;

import dev.seqrec.streaming.RocksSequenceStore;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.BeanRegistration;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts the HTTP service in this JVM: what {@code seqrec serve} runs, and what benchmarks start. */
public final class SeqrecService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeqrecService.class);
    private static final String SEQREC_PACKAGE = "dev.seqrec.";

    private final ApplicationContext context;

    private SeqrecService(ApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the service with {@code properties} overriding application.yml and the environment, such as
     * {@code seqrec.serve.checkpoint}; returns once it listens.
     *
     * @throws IllegalArgumentException with the message of the failure's reason when it cannot start
     */
    public static SeqrecService start(Map<String, Object> properties) {
        try {
            // Not Micronaut.run: it logs a stack trace of its own for a failure that deserves one line.
            ApplicationContext context = ApplicationContext.builder(SeqrecService.class).properties(properties)
                    .banner(false).build();
            try {
                context.start();
                requireFreePort(context);
                context.getBean(EmbeddedServer.class).start();
            } catch (RuntimeException e) {
                release(context);
                throw e;
            }
            return new SeqrecService(context);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot start: " + reason(e).getMessage(), e);
        }
    }

    /**
     * Refuses a port in use with one line naming the setting: Netty's own failure comes as an ERROR log line, a stack
     * trace and "Address already in use".
     */
    private static void requireFreePort(ApplicationContext context) {
        int port = context.getProperty("micronaut.server.port", Integer.class).orElse(-1);
        String host = context.getProperty("micronaut.server.host", String.class).orElse(null);
        if (port <= 0) {
            return; // a random port
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true); // as the server binds: a closed connection lingering on the port is no obstacle
            probe.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port), 1);
        } catch (IOException e) {
            throw new PortUnavailableException("port " + port + " on " + (host == null ? "every address" : host)
                    + " cannot be listened on (" + e.getMessage() + "); choose another with --port, SEQREC_SERVE_PORT "
                    + "or seqrec.serve.port");
        }
    }

    /** The configured HTTP port is taken, or cannot be bound. */
    public static final class PortUnavailableException extends RuntimeException {
        PortUnavailableException(String message) {
            super(message);
        }
    }

    /**
     * What a failed start's message should say: the framework's wrappers (Micronaut's bean errors, Kafka's "Failed
     * to construct ...") say less than their innermost cause, but seqrec's own exceptions already name the problem
     * and their cause only part of it (an unreadable file's path, one of several attempts).
     */
    private static Throwable reason(Throwable failure) {
        Throwable reason = failure;
        while (!isSeqrecs(reason) && reason.getCause() != null && reason.getCause() != reason) {
            reason = reason.getCause();
        }
        return reason;
    }

    private static boolean isSeqrecs(Throwable e) {
        return e.getClass().getName().startsWith(SEQREC_PACKAGE);
    }

    /**
     * Closes what a failed start opened. A failure inside {@code start()} (a bad checkpoint, say) leaves a context
     * that never ran, which {@code close()} ignores: its beans are destroyed one by one, the store last since the
     * others use it (its RocksDB lock would otherwise outlive the attempt).
     */
    private static void release(ApplicationContext context) {
        if (context.isRunning()) {
            context.close();
            return;
        }
        List<BeanRegistration<Object>> made = new ArrayList<>(context.getActiveBeanRegistrations(Object.class));
        // the store after its users, and its secondary directory after the store: that directory's bean deletes it
        // when the store is destroyed, and must still be there to hear of it
        made.sort(Comparator.comparingInt(registration -> registration.bean() instanceof RocksSequenceStore ? 1
                : registration.bean() instanceof ServiceBeans.SecondaryDirectory ? 2 : 0));
        for (BeanRegistration<Object> registration : made) {
            try {
                context.destroyBean(registration);
            } catch (RuntimeException e) {
                LOG.debug("while releasing a service that failed to start: {}", e.toString());
            }
        }
    }

    /** The port it listens on. */
    public int port() {
        return context.getBean(EmbeddedServer.class).getPort();
    }

    public ApplicationContext context() {
        return context;
    }

    /** Blocks until the service is stopped (by {@link #close()} or the JVM's shutdown). */
    public void awaitShutdown() throws InterruptedException {
        while (context.isRunning()) {
            Thread.sleep(200);
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
