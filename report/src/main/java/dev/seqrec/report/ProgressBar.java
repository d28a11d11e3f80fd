package dev.seqrec.report;

import java.io.PrintStream;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A console progress indicator for long jobs: count/total, percentage, rate, ETA and optional named fields
 * (such as the parts of a loss). On a terminal it redraws one line in place; elsewhere (CI logs, redirected
 * stderr) it prints a plain line every {@link Settings#logInterval()} so logs stay readable.
 *
 * <p>Safe to update from several threads: counting is lock-free and drawing is serialised.
 */
public final class ProgressBar implements AutoCloseable {

    /** How progress is shown. */
    public enum Mode {
        /** One line redrawn in place with carriage returns. */
        BAR,
        /** A full log line now and then, and one at the end. */
        LOG_LINES;

        /**
         * {@code SEQREC_PROGRESS} ({@code bar} or {@code log}) when set; else BAR when the JVM has a console and the
         * terminal is not "dumb". Java cannot ask whether stderr alone is a terminal (a console means stdin and
         * stdout are), so {@code bin/seqrec}, which can, sets {@code SEQREC_PROGRESS=log} when stderr is redirected.
         */
        public static Mode detect() {
            String chosen = System.getenv(MODE_VARIABLE);
            if ("bar".equals(chosen)) {
                return BAR;
            }
            if ("log".equals(chosen)) {
                return LOG_LINES;
            }
            String term = System.getenv("TERM");
            boolean interactive = System.console() != null && term != null && !term.equals("dumb");
            return interactive ? BAR : LOG_LINES;
        }
    }

    /**
     * @param barWidth     characters between the brackets of the bar
     * @param redrawPeriod the least time between two redraws in BAR mode, so hot loops do not flood the terminal
     * @param logInterval  time between two lines in LOG_LINES mode
     * @param lineWidth    the terminal's width: a longer line in BAR mode wraps, and a carriage return then redraws
     *                     only its last row, so the line drops its bar and then its end to fit
     */
    public record Settings(int barWidth, Duration redrawPeriod, Duration logInterval, int lineWidth) {
        public static final Settings DEFAULTS = new Settings(30, Duration.ofMillis(100), Duration.ofSeconds(10),
                terminalColumns());

        public Settings {
            if (barWidth < 1 || lineWidth < 2) {
                throw new IllegalArgumentException("barWidth must be positive and lineWidth at least 2, got "
                        + barWidth + " and " + lineWidth);
            }
        }

        /** {@code COLUMNS} (which {@code bin/seqrec} exports from the terminal), else the classic 80. */
        private static int terminalColumns() {
            try {
                int columns = Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "").trim());
                return columns >= 2 ? columns : DEFAULT_COLUMNS;
            } catch (NumberFormatException e) {
                return DEFAULT_COLUMNS;
            }
        }
    }

    /** Set to {@code bar} or {@code log} to choose the mode instead of {@link Mode#detect()}'s guess. */
    public static final String MODE_VARIABLE = "SEQREC_PROGRESS";
    private static final int DEFAULT_COLUMNS = 80;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final Mode mode;
    private final Settings settings;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private final AtomicLong done = new AtomicLong();
    private final Map<String, String> fields = new LinkedHashMap<>();
    private volatile long nextDrawNanos;
    private int lastLineLength;
    private boolean closed;

    private ProgressBar(String task, long total, PrintStream out, Mode mode, Settings settings, LongSupplier nanoClock) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.mode = mode;
        this.settings = settings;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        // A log line before the first interval has passed says nothing; a bar is drawn at once.
        this.nextDrawNanos = mode == Mode.LOG_LINES ? startNanos + settings.logInterval().toNanos() : startNanos;
    }

    /** A bar on stderr, in the mode that suits it. {@code total <= 0} means the total is unknown. */
    public static ProgressBar start(String task, long total) {
        return start(task, total, System.err, Mode.detect(), Settings.DEFAULTS, System::nanoTime);
    }

    /** A bar with everything chosen by the caller; {@code nanoClock} is a monotonic clock in nanoseconds. */
    public static ProgressBar start(String task, long total, PrintStream out, Mode mode, Settings settings,
                                    LongSupplier nanoClock) {
        return new ProgressBar(task, total, out, mode, settings, nanoClock);
    }

    /** Counts one more unit of work done. */
    public void step() {
        advance(1);
    }

    /** Counts {@code units} more units of work done. */
    public void advance(long units) {
        done.addAndGet(units);
        maybeDraw();
    }

    /** Sets or replaces a named field shown after the figures, such as {@code loss=0.4312}. */
    public void field(String name, String value) {
        synchronized (this) {
            fields.put(name, value);
        }
    }

    /** Sets a numeric field, shown with four significant decimals. */
    public void field(String name, double value) {
        field(name, String.format(Locale.ROOT, "%.4f", value));
    }

    /** Units done so far. */
    public long done() {
        return done.get();
    }

    /** Draws the final state and ends the line. Further updates are counted but not drawn. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            draw(nanoClock.getAsLong());
            if (mode == Mode.BAR) {
                out.println();
            }
            out.flush();
            closed = true;
        }
    }

    private void maybeDraw() {
        long now = nanoClock.getAsLong();
        if (now < nextDrawNanos) {
            return;
        }
        synchronized (this) {
            if (closed || now < nextDrawNanos) {
                return;
            }
            Duration period = mode == Mode.BAR ? settings.redrawPeriod() : settings.logInterval();
            nextDrawNanos = now + period.toNanos();
            draw(now);
        }
    }

    private void draw(long now) {
        String line = render(now, mode == Mode.BAR);
        if (mode == Mode.BAR) {
            int room = settings.lineWidth() - 1; // the last column would wrap the cursor on some terminals
            if (line.length() > room) {
                line = render(now, false);
            }
            if (line.length() > room) {
                line = line.substring(0, room);
            }
            int padding = Math.max(0, lastLineLength - line.length());
            out.print("\r" + line + " ".repeat(padding));
            lastLineLength = line.length();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The text of the current state, without line control characters. */
    String render(long now) {
        return render(now, mode == Mode.BAR);
    }

    private String render(long now, boolean withBar) {
        long count = done.get();
        double seconds = Math.max(0, now - startNanos) / (double) NANOS_PER_SECOND;
        double rate = seconds > 0 ? count / seconds : 0;
        StringBuilder line = new StringBuilder(task).append(' ');
        if (total > 0) {
            double fraction = Math.min(1.0, count / (double) total);
            if (withBar) {
                int filled = (int) Math.round(fraction * settings.barWidth());
                line.append('[').append("=".repeat(filled)).append(" ".repeat(settings.barWidth() - filled)).append("] ");
            }
            line.append(count).append('/').append(total)
                    .append(String.format(Locale.ROOT, " %5.1f%%", 100 * fraction));
        } else {
            line.append(count);
        }
        line.append(' ').append(formatRate(rate)).append("/s");
        if (total > 0) {
            if (count >= total) {
                line.append(" took ").append(formatDuration(seconds));
            } else if (rate > 0) {
                line.append(" ETA ").append(formatDuration((total - count) / rate));
            } else {
                line.append(" ETA ?");
            }
        } else {
            line.append(" elapsed ").append(formatDuration(seconds));
        }
        for (Map.Entry<String, String> field : fields.entrySet()) {
            line.append(' ').append(field.getKey()).append('=').append(field.getValue());
        }
        return line.toString();
    }

    static String formatRate(double perSecond) {
        if (perSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.1fM", perSecond / 1e6);
        }
        if (perSecond >= 1e3) {
            return String.format(Locale.ROOT, "%.1fk", perSecond / 1e3);
        }
        return String.format(Locale.ROOT, "%.1f", perSecond);
    }

    static String formatDuration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec) : String.format(Locale.ROOT, "%02d:%02d", m, sec);
    }
}
