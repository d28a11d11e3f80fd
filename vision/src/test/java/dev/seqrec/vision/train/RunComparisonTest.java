package dev.seqrec.vision.train;

import dev.seqrec.vision.probe.ProbeResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunComparisonTest {

    @TempDir
    Path dir;

    private static RunComparison.RunResult result(String run, double pixelsLinear) {
        return new RunComparison.RunResult(Path.of("runs", run), "infonce", 3, new ProbeResult(0.9, 0.88),
                new ProbeResult(pixelsLinear, 0.84));
    }

    private Path runWithCsv(String name, String... rows) throws IOException {
        Path run = Files.createDirectories(dir.resolve(name));
        StringBuilder csv = new StringBuilder(String.join(",", SimClrExperiment.CSV_COLUMNS)).append('\n');
        for (String row : rows) {
            csv.append(row).append('\n');
        }
        Files.writeString(run.resolve(SimClrExperiment.ACCURACY_CSV), csv);
        return run;
    }

    @Test
    void theMarkdownTableIsWrittenIntoFoldersThatDoNotExistYetAsTheChartIs() throws IOException {
        Path markdown = dir.resolve("not/there/yet/table.md");
        RunComparison.report(List.of(result("a", 0.846)), "caption", markdown, null,
                new PrintStream(new ByteArrayOutputStream()));
        assertTrue(Files.readString(markdown).startsWith("caption\n\n| run"), Files.readString(markdown));
    }

    @Test
    void runsRecordedOnDifferentDataEachGetTheirOwnPixelLine() {
        List<RunComparison.PixelLine> lines = RunComparison.pixelLines(List.of(result("full", 0.846),
                result("small", 0.71), result("full-again", 0.846)));
        assertEquals(List.of(new RunComparison.PixelLine("raw pixels (full, full-again)", 0.846),
                new RunComparison.PixelLine("raw pixels (small)", 0.71)), lines);
    }

    @Test
    void runsSharingOnePixelBaselineGetOneLine() {
        assertEquals(List.of(new RunComparison.PixelLine("raw pixels", 0.846)),
                RunComparison.pixelLines(List.of(result("a", 0.846), result("b", 0.846))));
    }

    @Test
    void aRunWithoutAccuracySeriesFailsTheChartCheck() throws IOException {
        Path checkpointOnly = Files.createDirectories(dir.resolve("ckptonly"));
        Path finished = runWithCsv("finished", "0,NaN,0.89,0.87,0.85,0.84,0");
        RunComparison.requireSeries(List.of(finished));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> RunComparison.requireSeries(List.of(finished, checkpointOnly)));
        assertEquals(checkpointOnly.resolve("accuracy.csv") + ": no accuracy series (not a finished run directory?)",
                missing.getMessage());
        Path headerOnly = runWithCsv("headeronly");
        IOException empty = assertThrows(IOException.class, () -> RunComparison.requireSeries(List.of(headerOnly)));
        assertEquals(headerOnly.resolve("accuracy.csv") + ": no evaluations recorded yet", empty.getMessage());
    }
}
