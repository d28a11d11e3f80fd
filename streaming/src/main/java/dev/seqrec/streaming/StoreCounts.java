package dev.seqrec.streaming;

/**
 * Sizes of a sequence store.
 *
 * @param users    users with at least one event
 * @param items    distinct items ever seen (dense ids 1..items)
 * @param events   accepted events, including those later dropped by the sequence cap
 * @param rejected malformed events sent to the dead-letter topic instead of being stored
 */
public record StoreCounts(long users, long items, long events, long rejected) {
}
