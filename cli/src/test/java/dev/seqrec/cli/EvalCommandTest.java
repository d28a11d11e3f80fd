package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class EvalCommandTest {
    /** Test targets 5, 1, 1 against training counts 1:1, 2:3, 3:2, 4:0, 5:0 -> pop ranks 5, 3, 3. */
    private static final String TINY = "u1 1 2 3 4 5\nu2 2 2 5 1\nu3 3 4 1\n";

    @TempDir
    Path dir;

    @RegisterExtension
    final CapturedConsole console = new CapturedConsole();

    private int eval(String... args) {
        List<String> all = new ArrayList<>(List.of("eval", "--no-progress"));
        all.addAll(List.of(args));
        return SeqrecCli.run(all.toArray(String[]::new));
    }

    private String out() {
        return console.stdout();
    }

    private List<String> errLines() {
        return console.stderr().lines().toList();
    }

    private Path tiny() throws IOException {
        return Files.writeString(dir.resolve("tiny.txt"), TINY);
    }

    @Test
    void popOnTinyDataPrintsTheSummaryAndTheHandComputedMetrics() throws IOException {
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--cutoffs", "3,5"));
        assertEquals("""
                tiny, test split: 3 users, 5 items, full ranking, history items kept
                model    hr@3  ndcg@3   mrr@3    hr@5  ndcg@5   mrr@5
                -----  ------  ------  ------  ------  ------  ------
                pop    0.6667  0.3333  0.2222  1.0000  0.4623  0.2889
                """, out());
    }

    @Test
    void byLengthAddsEachModelsHitRateAndNdcgPerHistoryLength() throws IOException {
        // test histories of lengths 4, 3 and 2, where pop ranks the targets 5, 3 and 3
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--cutoffs", "3", "--by-length", "3"));
        assertTrue(out().endsWith("""
                HR@3 and NDCG@3 by history length:
                history length  users  pop hr@3  pop ndcg@3
                --------------  -----  --------  ----------
                2                   1    1.0000      0.5000
                3                   1    1.0000      0.5000
                4                   1    0.0000      0.0000
                """), out());
    }

    @Test
    void byLengthBelowOneExitsNonZeroWithOneLine() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--model", "pop", "--by-length", "0"));
        assertEquals(List.of("seqrec: --by-length must be >= 1, got 0"), errLines());
    }

    @Test
    void pairedComparesTheOtherModelsWithTheFirstMetricByMetric() throws IOException {
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--model", "pop", "--cutoffs", "3",
                "--paired"));
        // the same model twice: no user gains or loses, so every difference is exactly 0 and every p-value 1
        assertTrue(out().endsWith("""
                model  metric     pop  model value  difference  95% interval        p-value  better  worse
                -----  ------  ------  -----------  ----------  ------------------  -------  ------  -----
                pop    hr@3    0.6667       0.6667  +0.0000     [+0.0000, +0.0000]  1.000         0      0
                pop    ndcg@3  0.3333       0.3333  +0.0000     [+0.0000, +0.0000]  1.000         0      0
                pop    mrr@3   0.2222       0.2222  +0.0000     [+0.0000, +0.0000]  1.000         0      0
                """), out());
    }

    @Test
    void pairedWithByLengthComparesEachLengthGroupHoldingTwoUsers() throws IOException {
        // test histories of lengths 2, 2, 3 and 3
        Path data = Files.writeString(dir.resolve("pairs.txt"), "u1 1 2 3\nu2 2 3 1\nu3 1 2 3 4\nu4 3 4 1 2\n");
        assertEquals(0, eval("--data", data.toString(), "--model", "pop", "--model", "pop", "--cutoffs", "3",
                "--paired", "--by-length", "3"));
        assertTrue(out().endsWith("""
                HR@3 and NDCG@3 by history length, paired with pop:
                model  history length  users  hr@3 difference  95% interval        p-value  ndcg@3 difference  95% interval        p-value
                -----  --------------  -----  ---------------  ------------------  -------  -----------------  ------------------  -------
                pop    2                   2  +0.0000          [+0.0000, +0.0000]  1.000    +0.0000            [+0.0000, +0.0000]  1.000
                pop    3                   2  +0.0000          [+0.0000, +0.0000]  1.000    +0.0000            [+0.0000, +0.0000]  1.000
                """), out());
    }

    @Test
    void pairedWithOneModelExitsNonZeroWithOneLine() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--model", "pop", "--paired"));
        assertEquals(List.of("seqrec: --paired needs at least two models (--model or --checkpoint) to compare"),
                errLines());
    }

    @Test
    void outWritesTheDocumentedJsonObject() throws IOException {
        Path json = dir.resolve("results/pop.json");
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--split", "valid", "--out", json.toString()));
        JsonNode result = new ObjectMapper().readTree(json.toFile());
        assertEquals("tiny", result.get("dataset").asText());
        assertEquals("valid", result.get("split").asText());
        assertEquals("pop", result.get("model").asText());
        assertEquals(3, result.get("users").asInt());
        assertEquals(5, result.get("items").asInt());
        List<String> metrics = new ArrayList<>();
        result.get("metrics").fieldNames().forEachRemaining(metrics::add);
        assertEquals(List.of("hr@5", "ndcg@5", "mrr@5", "hr@10", "ndcg@10", "mrr@10",
                "hr@20", "ndcg@20", "mrr@20", "hr@50", "ndcg@50", "mrr@50"), metrics);
    }

    @Test
    void repeatedModelsGiveOneTableRowEachAndAJsonArray() throws IOException {
        Path json = dir.resolve("both.json");
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--model", "pop", "--format", "markdown",
                "--out", json.toString()));
        assertEquals(2, out().lines().filter(line -> line.startsWith("| pop ")).count(), out());
        assertEquals(2, new ObjectMapper().readTree(json.toFile()).size());
    }

    @Test
    void excludeSeenIsShownInTheSummary() throws IOException {
        assertEquals(0, eval("--data", tiny().toString(), "--model", "pop", "--exclude-seen"));
        assertTrue(out().startsWith("tiny, test split: 3 users, 5 items, full ranking, history items excluded\n"), out());
    }

    @Test
    void excludeSeenCountsATargetSeenBeforeTheMaxHistoryCapAsAMiss() throws IOException {
        // the test target 1 was seen first, before the last 2 items the model reads
        Path data = Files.writeString(dir.resolve("seen.txt"), "u1 1 2 3 1\n");
        assertEquals(0, eval("--data", data.toString(), "--model", "pop", "--exclude-seen", "--max-history", "2",
                "--cutoffs", "3"));
        assertTrue(out().endsWith("pop    0.0000  0.0000  0.0000\n"), out());
    }

    @Test
    void anOutThatIsTheDataFileIsAUsageErrorAndLeavesTheDataAsItWas() throws IOException {
        Path data = tiny();
        Path sameFile = dir.resolve("sub/../tiny.txt");
        assertEquals(2, eval("--data", data.toString(), "--model", "pop", "--out", sameFile.toString()));
        assertEquals(List.of("seqrec: --out " + sameFile + " is the --data file; writing the results there would "
                + "replace the dataset"), errLines());
        assertEquals(TINY, Files.readString(data));
        assertEquals("", out());
    }

    @Test
    void anOutInsideACheckpointIsAUsageErrorAndLeavesItsFilesAsTheyWere() throws IOException {
        Path checkpoint = Files.createDirectories(dir.resolve("ckpt"));
        Path modelJson = Files.writeString(checkpoint.resolve("model.json"), "{}");
        assertEquals(2, eval("--data", tiny().toString(), "--checkpoint", checkpoint.toString(), "--out",
                modelJson.toString()));
        assertEquals(List.of("seqrec: --out " + modelJson + " is inside --checkpoint " + checkpoint + "; writing the "
                + "results there could replace the model's files; give a path outside it"), errLines());
        assertEquals("{}", Files.readString(modelJson));
    }

    @Test
    void anOutBelowAFileIsAUsageErrorBeforeAnythingIsEvaluated() throws IOException {
        Path file = Files.writeString(dir.resolve("afile"), "x");
        Path out = file.resolve("x.json");
        assertEquals(2, eval("--data", tiny().toString(), "--model", "pop", "--out", out.toString()));
        assertEquals(List.of("seqrec: --out " + out + ": " + file + " is a file, not a directory"), errLines());
        assertEquals("", out());
    }

    @Test
    void anOutThatIsADirectoryIsAUsageErrorBeforeAnythingIsEvaluated() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--model", "pop", "--out", dir.toString()));
        assertEquals(List.of("seqrec: --out " + dir + " is a directory; give a file name"), errLines());
        assertEquals("", out());
    }

    @Test
    void dataWithAnUnknownExtensionIsAUsageErrorThatNamesDataFormat() throws IOException {
        Path dat = Files.writeString(dir.resolve("tiny.dat"), TINY);
        assertEquals(2, eval("--data", dat.toString(), "--model", "pop"));
        assertEquals(List.of("seqrec: cannot tell the format of --data " + dat + " from its extension (.txt, .inter "
                + "or .csv); give --data-format txt|inter|csv"), errLines());
    }

    @Test
    void anUnknownModelExitsWithUsageErrorAndOneLine() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--model", "sasrec"));
        assertEquals(List.of("seqrec: --model must be one of pop, got 'sasrec'"), errLines());
    }

    @Test
    void aSingleUserLeftOutIsCountedInTheSingular() throws IOException {
        Path data = Files.writeString(dir.resolve("tiny.txt"), TINY + "u4 1 2\n");
        assertEquals(0, eval("--data", data.toString(), "--model", "pop"));
        assertTrue(out().startsWith("tiny, test split: 3 users, 5 items, full ranking, history items kept "
                + "(1 user with fewer than 3 items left out)\n"), out());
    }

    @Test
    void noModelExitsWithUsageError() throws IOException {
        assertEquals(2, eval("--data", tiny().toString()));
        assertEquals(1, errLines().size(), errLines().toString());
    }

    @Test
    void aBadSplitExitsWithUsageError() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--model", "pop", "--split", "train"));
        assertEquals(List.of("seqrec: --split must be test or valid, got 'train'"), errLines());
    }

    @Test
    void dataFormatOverridesTheExtension() throws IOException {
        Path csv = Files.writeString(dir.resolve("events.log"), "u1,1\nu1,2\nu1,3\n");
        assertEquals(0, eval("--data", csv.toString(), "--data-format", "csv", "--model", "pop"));
        assertTrue(out().startsWith("events, test split: 1 user, 3 items"), out());
    }

    @Test
    void anUnknownDataFormatExitsWithUsageError() throws IOException {
        assertEquals(2, eval("--data", tiny().toString(), "--data-format", "xml", "--model", "pop"));
        assertEquals(List.of("seqrec: --data-format: unknown dataset format 'xml'; expected one of txt, inter, csv"), errLines());
    }

    @Test
    void dataWhereNoUserHasThreeItemsExitsNonZeroInsteadOfReportingZeros() throws IOException {
        Path shortHistories = Files.writeString(dir.resolve("short.txt"), "u1 1 2\nu2 2 1\n");
        assertEquals(1, eval("--data", shortHistories.toString(), "--model", "pop"));
        assertEquals(List.of("seqrec eval: " + shortHistories + ": no user has the 3 or more items that a validation "
                + "and a test case need; nothing to evaluate"), errLines());
    }

    @Test
    void aMissingFileExitsNonZeroWithOneLineNamingIt() {
        Path missing = dir.resolve("missing.txt");
        assertEquals(1, eval("--data", missing.toString(), "--model", "pop"));
        assertEquals(List.of("seqrec eval: " + missing + ": no such file"), errLines());
    }

    @Test
    void aBadFileExitsNonZeroNamingTheLineAndLeavesAnEarlierOutFileUntouched() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.txt"), "u1 1 2 3\nu2\n");
        Path json = Files.writeString(dir.resolve("old.json"), "{\"earlier\": true}\n");
        assertEquals(1, eval("--data", bad.toString(), "--model", "pop", "--out", json.toString()));
        assertEquals(List.of("seqrec eval: " + bad + ":2: user 'u2' has no items; expected 'user item item ...'"), errLines());
        assertEquals("{\"earlier\": true}\n", Files.readString(json));
        try (var files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
    }
}
