package dev.seqrec.streaming;

/**
 * One accepted interaction event.
 *
 * @param user            external user id
 * @param item            external item id
 * @param timestampMillis event time (the producer's {@code ts}, else the broker's record time)
 * @param type            event type such as "view", or null when the event had none
 */
public record Interaction(String user, String item, long timestampMillis, String type) {

    public static Interaction of(String user, String item) {
        return new Interaction(user, item, 0L, null);
    }
}
