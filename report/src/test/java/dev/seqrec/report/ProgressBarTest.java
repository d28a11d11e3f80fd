package dev.seqrec.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong(0);

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void barLineShowsCountTotalPercentRateAndEta() {
        ProgressBar bar = ProgressBar.start("eval", 100, out, ProgressBar.Mode.BAR, ProgressBar.Settings.DEFAULTS, clock::get);
        clock.set(2 * SECOND);
        bar.advance(40);
        String line = output();
        assertTrue(line.startsWith("\reval [============"), line);
        assertTrue(line.contains("40/100"), line);
        assertTrue(line.contains("40.0%"), line);
        assertTrue(line.contains("20.0/s"), line);
        assertTrue(line.contains("ETA 00:03"), line); // 60 left at 20/s
    }

    @Test
    void extraFieldsFollowTheFiguresInInsertionOrder() {
        ProgressBar.Settings wide = new ProgressBar.Settings(30, Duration.ofMillis(100), Duration.ofSeconds(10), 200);
        ProgressBar bar = ProgressBar.start("train", 10, out, ProgressBar.Mode.BAR, wide, clock::get);
        bar.field("loss", 1.23456);
        bar.field("cl", "0.5");
        clock.set(SECOND);
        bar.step();
        assertTrue(output().contains("loss=1.2346 cl=0.5"), output());
    }

    @Test
    void aBarLineWiderThanTheTerminalDropsItsBarThenItsEnd() {
        ProgressBar.Settings narrow = new ProgressBar.Settings(30, Duration.ofMillis(100), Duration.ofSeconds(10), 40);
        ProgressBar bar = ProgressBar.start("train", 10, out, ProgressBar.Mode.BAR, narrow, clock::get);
        bar.field("loss", 1.23456);
        clock.set(SECOND);
        bar.step();
        String drawn = output().substring(output().lastIndexOf('\r') + 1);
        assertEquals("train 1/10  10.0% 1.0/s ETA 00:09 loss=", drawn);
    }

    @Test
    void logModePrintsWholeLinesAtTheIntervalAndAFinalOne() {
        ProgressBar.Settings settings = new ProgressBar.Settings(10, Duration.ofMillis(100), Duration.ofSeconds(10), 200);
        ProgressBar bar = ProgressBar.start("import", 1000, out, ProgressBar.Mode.LOG_LINES, settings, clock::get);
        for (int second = 1; second <= 25; second++) {
            clock.set(second * SECOND);
            bar.advance(10);
        }
        bar.close();
        String[] lines = output().split("\n");
        // t = 10 s, 20 s, then the final line from close()
        assertEquals(3, lines.length, output());
        List<String> counts = new ArrayList<>();
        for (String line : lines) {
            assertTrue(!line.contains("\r") && !line.contains("["), line);
            counts.add(line.split(" ")[1]);
        }
        assertEquals(List.of("100/1000", "200/1000", "250/1000"), counts);
    }

    @Test
    void unknownTotalShowsCountAndElapsedTime() {
        ProgressBar bar = ProgressBar.start("events", 0, out, ProgressBar.Mode.LOG_LINES, ProgressBar.Settings.DEFAULTS, clock::get);
        clock.set(65 * SECOND);
        bar.advance(130);
        bar.close();
        assertTrue(output().contains("events 130 2.0/s elapsed 01:05"), output());
    }

    @Test
    void closeReportsTheTimeTakenAndEndsTheLine() {
        ProgressBar bar = ProgressBar.start("eval", 4, out, ProgressBar.Mode.BAR, ProgressBar.Settings.DEFAULTS, clock::get);
        clock.set(3 * SECOND);
        bar.advance(4);
        bar.close();
        assertTrue(output().endsWith("took 00:03\n"), output());
    }

    @Test
    void concurrentUpdatesAreAllCounted() throws InterruptedException {
        ProgressBar bar = ProgressBar.start("parallel", 80_000, out, ProgressBar.Mode.BAR, ProgressBar.Settings.DEFAULTS, System::nanoTime);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    bar.step();
                    if (i % 1000 == 0) {
                        bar.field("thread", Thread.currentThread().getName());
                    }
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        bar.close();
        assertEquals(80_000, bar.done());
        assertTrue(output().contains("80000/80000"), output());
    }
}
