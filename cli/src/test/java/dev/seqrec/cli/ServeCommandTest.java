package dev.seqrec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqrec.streaming.RocksSequenceStore;
import dev.seqrec.streaming.StoreConfig;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private PrintStream originalErr;

    @BeforeEach
    void captureStderr() {
        originalErr = System.err;
        System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreStderr() {
        System.setErr(originalErr);
    }

    private List<String> seqrecLines() {
        return stderr.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("seqrec")).toList();
    }

    @Test
    void aMissingStoreExitsNonZeroWithOneLineSayingWhy() {
        int code = SeqrecCli.run("serve", "--store", dir.resolve("absent").toString(), "--checkpoint",
                dir.resolve("ckpt").toString(), "--port", "0");
        assertEquals(1, code);
        List<String> lines = seqrecLines();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("seqrec serve: cannot start: no sequence store at "), lines.get(0));
    }

    @Test
    void aPortOutsideItsRangeOrAHostNotOfThisMachineIsAUsageError() {
        String[] common = {"serve", "--store", dir.resolve("store").toString(), "--checkpoint",
                dir.resolve("ckpt").toString()};
        assertEquals(2, SeqrecCli.run(concat(common, "--port", "-5")));
        assertEquals(2, SeqrecCli.run(concat(common, "--port", "65536")));
        assertEquals(2, SeqrecCli.run(concat(common, "--host", "192.0.2.1"))); // TEST-NET-1: documentation only
        List<String> lines = seqrecLines();
        assertEquals(List.of("seqrec: --port must be between 0 (any free port) and 65535, got -5",
                "seqrec: --port must be between 0 (any free port) and 65535, got 65536"), lines.subList(0, 2));
        assertTrue(lines.get(2).startsWith("seqrec: --host 192.0.2.1 cannot be listened on ("), lines.get(2));
    }

    /** Linux binds all of 127.0.0.0/8, though only 127.0.0.1 is listed on the loopback interface. */
    @Test
    void aLoopbackHostOtherThan127001IsAccepted() {
        int code = SeqrecCli.run("serve", "--store", dir.resolve("absent").toString(), "--checkpoint",
                dir.resolve("ckpt").toString(), "--host", "127.0.0.2", "--port", "0");
        assertEquals(1, code); // past the option checks, to the missing store
        assertTrue(seqrecLines().get(0).startsWith("seqrec serve: cannot start: no sequence store at "),
                seqrecLines().toString());
    }

    @Test
    void aPortInUseExitsNonZeroWithOneLineNamingTheSetting() throws Exception {
        Path data = Files.writeString(dir.resolve("cyclic.txt"), "a 1 2 3 4 5 6\nb 3 4 5 6 1 2\nc 5 6 1 2 3\n");
        Path run = dir.resolve("run");
        assertEquals(0, SeqrecCli.run("train", "--no-progress", "--data", data.toString(), "--model", "sasrec", "--out",
                run.toString(), "--epochs", "1", "--batch-size", "8", "--hidden-size", "8", "--heads", "2",
                "--inner-size", "16", "--layers", "1"));
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults()).close();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int code = SeqrecCli.run("serve", "--store", store.toString(), "--checkpoint", run.toString(),
                    "--port", "" + taken.getLocalPort());
            assertEquals(1, code);
            assertEquals(List.of("seqrec serve: cannot start: port " + taken.getLocalPort() + " on 127.0.0.1 cannot "
                    + "be listened on (Address already in use); choose another with --port, SEQREC_SERVE_PORT or "
                    + "seqrec.serve.port"), seqrecLines());
        }
    }

    private static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    /** Refused before the service starts, as seqrec ingest refuses it. */
    @Test
    void aMaxLengthBelowOneIsAUsageError() {
        int code = SeqrecCli.run("serve", "--store", dir.resolve("store").toString(), "--checkpoint",
                dir.resolve("ckpt").toString(), "--port", "0", "--bootstrap", "127.0.0.1:1", "--max-length", "0");
        assertEquals(2, code);
        assertEquals(List.of("seqrec: --max-length must be between 1 and 16777216, got 0"), seqrecLines());
    }

    @Test
    void aMaxLengthOtherThanTheStoresExitsNonZeroWithOneLineNamingTheStoresOwn() {
        Path store = dir.resolve("store");
        RocksSequenceStore.open(store, StoreConfig.defaults().withMaxSequenceLength(1000)).close();
        int code = SeqrecCli.run("serve", "--store", store.toString(), "--checkpoint", dir.resolve("ckpt").toString(),
                "--port", "0", "--bootstrap", "127.0.0.1:1", "--max-length", "200");
        assertEquals(1, code);
        assertEquals(List.of("seqrec serve: cannot start: sequence store " + store + " keeps each user's last 1000 "
                + "items (fixed when it was created), not 200: pass --max-length 1000, or use a new store"),
                seqrecLines());
    }

    @Test
    void benchServeMeasuresBothEndpointsAndWritesItsCsvAndChart() throws Exception {
        // the reference weights need Beauty's whole item vocabulary, so the whole file
        Path shared = Path.of("..", "..", "shared", "data");
        Path out = dir.resolve("bench");
        int code = SeqrecCli.run("bench", "serve", "--data", shared.resolve("amazon-beauty/beauty.txt").toString(),
                "--reference",
                shared.resolve("mclrec-beauty-checkpoint").toString(), "--out", out.toString(), "--warmup", "0",
                "--duration", "1", "--connections", "2");
        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));
        List<String> csv = Files.readAllLines(out.resolve("bench-serve.csv"));
        assertEquals(List.of("endpoint", "requests", "errors", "req_per_s", "p50_ms", "p90_ms", "p99_ms", "max_ms"),
                List.of(csv.get(0).split(",")));
        assertEquals(List.of("recommendations", "trivial"), csv.subList(1, csv.size()).stream()
                .map(row -> row.split(",")[0]).toList());
        for (String row : csv.subList(1, csv.size())) {
            String[] cells = row.split(",");
            assertTrue(Long.parseLong(cells[1]) > 0 && cells[2].equals("0"), row);
        }
        assertTrue(Files.size(out.resolve("bench-serve.png")) > 0);
    }

    @Test
    void benchServeRefusesAnUnboundedDurationAsAUsageError() {
        int code = SeqrecCli.run("bench", "serve", "--duration", "100000");
        assertEquals(2, code);
        assertTrue(seqrecLines().get(0).contains("--duration must be 1 to 300 seconds, got 100000"),
                seqrecLines().toString());
    }

    @Test
    void benchServeRefusesNoConnectionsAsAUsageErrorNamingTheOption() {
        assertEquals(2, SeqrecCli.run("bench", "serve", "--connections", "0"));
        assertTrue(seqrecLines().get(0).contains("--connections must be at least 1, got 0"), seqrecLines().toString());
    }
}
