package dev.seqrec.streaming;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IngestWriterBenchmarkTest {
    @TempDir
    Path dir;

    @Test
    void everyPassStoresEveryEventAndSplitsTheWritersCpuIntoItsParts() throws Exception {
        List<IngestWriterBenchmark.Pass> passes = IngestWriterBenchmark.run(
                new IngestWriterBenchmark.Settings(3000, 100, 50, 3, 500, 2, 1), dir);
        assertEquals(2, passes.size());
        for (IngestWriterBenchmark.Pass pass : passes) { // run() fails a pass that stores fewer events
            assertEquals(3000, pass.events());
            assertTrue(pass.decodeMicrosPerEvent() > 0 && pass.appendMicrosPerEvent() > 0
                    && pass.flushMicrosPerEvent() > 0, pass.toString());
        }
    }
}
