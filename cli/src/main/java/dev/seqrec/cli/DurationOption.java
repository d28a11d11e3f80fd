package dev.seqrec.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The durations that options such as --time-limit take: 90s, 3m, 2h, 1h30m, or ISO-8601 such as PT2H. */
final class DurationOption {
    private DurationOption() {
    }

    /** @param option the option's name, for the error */
    static Duration parse(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        try {
            return Duration.parse(t.startsWith("P") ? t : "PT" + t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not a duration such as 90s, 3m, 2h or 1h30m");
        }
    }

    /** {@link #parse}, refusing a duration of zero or less in the words the user wrote it in, not as PT0S. */
    static Duration parsePositive(String option, String text) {
        Duration duration = parse(option, text);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, got " + text);
        }
        return duration;
    }
}
