package dev.seqrec.streaming;

/** An event value that cannot be accepted; the message is the reason sent with it to the dead-letter topic. */
public final class MalformedEventException extends Exception {
    public MalformedEventException(String reason) {
        super(reason, null, false, false);
    }
}
