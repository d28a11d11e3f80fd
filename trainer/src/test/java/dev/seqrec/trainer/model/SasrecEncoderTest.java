package dev.seqrec.trainer.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class SasrecEncoderTest {
    /**
     * Histories of several lengths on packed rows: one with a blanked item, a single item, one longer than the
     * encoder's 6 positions (its last 6 count).
     */
    private static final int[][] HISTORIES = {{1, 2, 3}, {4, 0, 6, 2}, {7}, {5, 1, 5, 2, 5, 3, 5, 4}};

    private static SasrecEncoder encoder(int layers) {
        EncoderConfig config = new EncoderConfig(8, 8, layers, 2, 16, 6, 0.5, 0.5, 1e-12, 0.3);
        return new SasrecEncoder(config, EncoderWeights.initialise(config, 21, DataType.DOUBLE));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void aBatchGivesEachHistoryTheVectorItGetsAloneAndTheSumOfTheirGradients(int layers) {
        SasrecEncoder encoder = encoder(layers);
        INDArray hGradient = TestArrays.gaussian(22, HISTORIES.length, 8, DataType.DOUBLE);
        SasrecEncoder.Activations batch = encoder.forward(SequenceBatch.of(HISTORIES, 6), null);
        Map<String, INDArray> batchGradients = encoder.backward(batch, hGradient, null);
        Map<String, INDArray> summed = null;
        for (int i = 0; i < HISTORIES.length; i++) {
            SasrecEncoder.Activations alone = encoder.forward(SequenceBatch.of(new int[][] {HISTORIES[i]}, 6), null);
            TestArrays.assertClose(alone.h.getRow(0), batch.h.getRow(i), 1e-12, "h of history " + i);
            Map<String, INDArray> gradients = encoder.backward(alone, hGradient.getRow(i).reshape(1, 8), null);
            if (summed == null) {
                summed = gradients;
            } else {
                for (Map.Entry<String, INDArray> g : gradients.entrySet()) {
                    summed.get(g.getKey()).addi(g.getValue());
                }
            }
        }
        assertEquals(summed.keySet(), batchGradients.keySet());
        for (Map.Entry<String, INDArray> g : summed.entrySet()) {
            TestArrays.assertClose(g.getValue(), batchGradients.get(g.getKey()), 1e-10, g.getKey());
        }
    }

    @Test
    void anEmptyBatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> encoder(1).forward(SequenceBatch.of(new int[0][], 6), null));
        assertEquals("an empty batch has no sequence vectors to encode", e.getMessage());
    }
}
