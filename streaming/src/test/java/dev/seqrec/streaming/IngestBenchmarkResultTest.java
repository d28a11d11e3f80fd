package dev.seqrec.streaming;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the benchmark's result compares the two paths. */
class IngestBenchmarkResultTest {
    private static final double EXACT = 1e-12;

    /** A pass of {@code events} in {@code seconds}, so its rate is their quotient. */
    private static IngestBenchmark.Pass pass(String path, int round, long events, double seconds) {
        return new IngestBenchmark.Pass(path, round, events, seconds, 0, 0, 0, 0, List.of());
    }

    private static IngestBenchmark.Result result(IngestBenchmark.Pass... passes) {
        return new IngestBenchmark.Result(null, "test", 0, List.of(passes));
    }

    @Test
    void eachRoundsRatioIsItsIngestRateOverItsRawRate() {
        IngestBenchmark.Result result = result(
                pass(IngestBenchmark.RAW, 1, 100, 1.0), pass(IngestBenchmark.INGEST, 1, 100, 2.0),
                pass(IngestBenchmark.RAW, 2, 100, 0.5), pass(IngestBenchmark.INGEST, 2, 100, 2.0));

        assertArrayEquals(new double[] {0.5, 0.25}, result.roundRatios(), EXACT);
    }

    @Test
    void theRoundMedianPairsPassesByRoundWhileTheBestRatioDoesNot() {
        // the fastest raw pass (round 2) and the fastest ingest pass (round 1) come from different rounds
        IngestBenchmark.Result result = result(
                pass(IngestBenchmark.RAW, 1, 100, 1.0), pass(IngestBenchmark.INGEST, 1, 100, 1.25),
                pass(IngestBenchmark.RAW, 2, 100, 0.5), pass(IngestBenchmark.INGEST, 2, 100, 2.0),
                pass(IngestBenchmark.RAW, 3, 100, 1.0), pass(IngestBenchmark.INGEST, 3, 100, 2.5));

        assertEquals(0.4, result.best(IngestBenchmark.INGEST) / result.best(IngestBenchmark.RAW), EXACT);
        assertArrayEquals(new double[] {0.8, 0.25, 0.4}, result.roundRatios(), EXACT);
        assertEquals(0.4, result.medianRoundRatio(), EXACT);
    }

    @Test
    void anEvenNumberOfRoundsTakesTheMeanOfTheMiddleTwo() {
        IngestBenchmark.Result result = result(
                pass(IngestBenchmark.RAW, 1, 100, 1.0), pass(IngestBenchmark.INGEST, 1, 100, 2.0),
                pass(IngestBenchmark.RAW, 2, 100, 1.0), pass(IngestBenchmark.INGEST, 2, 100, 4.0));

        assertEquals(0.375, result.medianRoundRatio(), EXACT);
    }

    @Test
    void aRoundWithoutItsIngestPassIsLeftOut() {
        IngestBenchmark.Result result = result(
                pass(IngestBenchmark.RAW, 1, 100, 1.0), pass(IngestBenchmark.INGEST, 1, 100, 2.0),
                pass(IngestBenchmark.RAW, 2, 100, 1.0));

        assertArrayEquals(new double[] {0.5}, result.roundRatios(), EXACT);
    }

    @Test
    void withoutACompleteRoundTheMedianIsNaN() {
        assertTrue(Double.isNaN(result(pass(IngestBenchmark.RAW, 1, 100, 1.0)).medianRoundRatio()));
    }
}
