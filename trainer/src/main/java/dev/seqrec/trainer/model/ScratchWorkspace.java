package dev.seqrec.trainer.model;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * An ND4J workspace for the arrays of one unit of work (a training step, a scoring chunk): allocated once, reused
 * every time, released as a whole when the scope closes. Without it every step allocated hundreds of megabytes of
 * fresh off-heap memory, and the kernel's page zeroing alone cost more than the model's matrix products
 * (measured with perf). Nothing created inside may outlive the scope: parameters and optimiser state are created
 * outside and only updated in place.
 */
public final class ScratchWorkspace {
    /** Grows to the largest unit seen (batches vary in width); the spill of a larger unit is allocated normally. */
    private static final WorkspaceConfiguration CONFIG = WorkspaceConfiguration.builder()
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .overallocationLimit(0.2)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policySpill(SpillPolicy.REALLOCATE)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .build();

    private ScratchWorkspace() {
    }

    /** Opens the calling thread's workspace of this name; close it (try-with-resources) at the end of the unit. */
    public static MemoryWorkspace open(String name) {
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONFIG, name);
    }
}
