package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvSeriesTest {
    @TempDir
    Path dir;

    @Test
    void writesTheHeaderThenOneLinePerRow() throws IOException {
        Path file = dir.resolve("curve.csv");
        try (CsvSeries csv = CsvSeries.create(file, "epoch", "loss", "valid_mrr@10")) {
            csv.append(1, 8.25, 0.0123);
            csv.append(2, 7.5, 0.0234);
        }
        assertEquals(List.of("epoch,loss,valid_mrr@10", "1,8.25,0.0123", "2,7.5,0.0234"), Files.readAllLines(file));
    }

    @Test
    void rowsAreOnDiskBeforeTheSeriesIsClosed() throws IOException {
        Path file = dir.resolve("live.csv");
        try (CsvSeries csv = CsvSeries.create(file, "epoch", "loss")) {
            csv.append(1, 0.5);
            assertEquals(List.of("epoch,loss", "1,0.5"), Files.readAllLines(file));
        }
    }

    @Test
    void textWithCommasOrQuotesIsQuoted() throws IOException {
        Path file = dir.resolve("names.csv");
        try (CsvSeries csv = CsvSeries.create(file, "model", "note")) {
            csv.append("mclrec", "lambda=0, beta=0.05");
            csv.append("pop", "say \"hi\"");
        }
        assertEquals(List.of("model,note", "mclrec,\"lambda=0, beta=0.05\"", "pop,\"say \"\"hi\"\"\""), Files.readAllLines(file));
    }

    @Test
    void aRowWithTheWrongNumberOfValuesIsRejected() throws IOException {
        try (CsvSeries csv = CsvSeries.create(dir.resolve("bad.csv"), "epoch", "loss")) {
            assertThrows(IllegalArgumentException.class, () -> csv.append(1));
        }
    }
}
