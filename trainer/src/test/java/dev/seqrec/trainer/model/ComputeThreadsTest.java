package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ComputeThreadsTest {

    @Test
    void threadCountAppliesToBlasAsWellAsNd4jLoops() {
        int nd4jBefore = Nd4j.getEnvironment().maxMasterThreads();
        int blasBefore = Nd4j.factory().blas().getMaxThreads();
        try {
            ComputeThreads.use(1);
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
            assertEquals(1, Nd4j.factory().blas().getMaxThreads());
        } finally {
            Nd4j.getEnvironment().setMaxMasterThreads(nd4jBefore);
            Nd4j.factory().blas().setMaxThreads(blasBefore);
        }
    }

    @Test
    void fewerThanOneThreadIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> ComputeThreads.use(0));
    }
}
