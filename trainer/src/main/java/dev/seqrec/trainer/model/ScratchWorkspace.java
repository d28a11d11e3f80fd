package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J workspace for the arrays of one unit of work (a training pass, a scoring chunk): allocated once, reused
 * every time, released as a whole when the scope closes. Without it every step allocated hundreds of megabytes of
 * fresh off-heap memory, and the kernel's page zeroing alone cost more than the model's matrix products
 * (measured with perf). Nothing created inside may outlive the scope: parameters and optimiser state are created
 * outside and only updated in place.
 */
public final class ScratchWorkspace {
    /** Bytes for one training pass: most SASRec passes use 25-150 MB, MCLRec's encoder passes (3 batches) about 3x. */
    public static final long TRAINING_PASS_BYTES = 512L << 20;
    /** Bytes for scoring a chunk of histories. */
    public static final long SCORING_CHUNK_BYTES = 128L << 20;

    private ScratchWorkspace() {
    }

    /**
     * Opens the calling thread's workspace of this name; close it (try-with-resources) at the end of the unit. A unit
     * larger than {@code bytes} (the widest batches: attention grows with the square of the width) takes the rest
     * from ordinary allocations, released when the scope closes, so memory stays bounded by the largest unit.
     */
    public static MemoryWorkspace open(String name, long bytes) {
        WorkspaceConfiguration config = WorkspaceConfiguration.builder()
                .initialSize(bytes)
                .policyAllocation(AllocationPolicy.STRICT)
                .policyLearning(LearningPolicy.NONE)
                .policySpill(SpillPolicy.EXTERNAL)
                .policyReset(ResetPolicy.BLOCK_LEFT)
                .build();
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(config, name);
    }
}
