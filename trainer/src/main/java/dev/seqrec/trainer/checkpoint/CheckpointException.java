package dev.seqrec.trainer.checkpoint;

import java.io.IOException;

/** A checkpoint directory that cannot be used: missing, corrupt or of another format. The message says which. */
public final class CheckpointException extends IOException {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
