package dev.seqrec.streaming;

/**
 * What an {@link InteractionIngestor} has done since it started.
 *
 * @param events             events stored
 * @param rejected           malformed events sent to the dead-letter topic
 * @param unknownItemEvents  stored events whose item the current model does not know (0 without a model vocabulary)
 * @param eventsPerSecond    events stored per second over the last measuring window
 * @param lag                events in the assigned partitions not yet consumed; -1 until known
 * @param assignedPartitions partitions this instance consumes now
 * @param running            whether the consuming thread is alive
 */
public record IngestMetrics(long events, long rejected, long unknownItemEvents, double eventsPerSecond, long lag,
                            int assignedPartitions, boolean running) {
}
