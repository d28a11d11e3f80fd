package dev.seqrec.recommender.service;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.Map;

/** Starts the HTTP service in this JVM: what {@code seqrec serve} runs, and what benchmarks start. */
public final class SeqrecService implements AutoCloseable {
    private final ApplicationContext context;

    private SeqrecService(ApplicationContext context) {
        this.context = context;
    }

    /**
     * Starts the service with {@code properties} overriding application.yml and the environment, such as
     * {@code seqrec.serve.checkpoint}; returns once it listens.
     *
     * @throws IllegalArgumentException with the root cause's message when it cannot start
     */
    public static SeqrecService start(Map<String, Object> properties) {
        try {
            // Not Micronaut.run: it logs a stack trace of its own for a failure that deserves one line.
            ApplicationContext context = ApplicationContext.builder(SeqrecService.class).properties(properties)
                    .banner(false).start();
            try {
                context.getBean(EmbeddedServer.class).start();
            } catch (RuntimeException e) {
                context.close();
                throw e;
            }
            return new SeqrecService(context);
        } catch (RuntimeException e) {
            Throwable cause = e;
            while (cause.getCause() != null && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            throw new IllegalArgumentException("cannot start: " + cause.getMessage(), e);
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
