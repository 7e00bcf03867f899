package dev.pocketbridge.bench;

import java.time.Duration;
import java.util.Locale;

/** Formatting of durations and latencies for progress lines and the report. */
public final class Durations {

    private Durations() {
    }

    /** {@code 30s}, {@code 500ms}, {@code 2m}, {@code 90s}: the option syntax back. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }

    /** Nanoseconds as milliseconds with a sensible number of digits. */
    public static String ms(double nanos) {
        double ms = nanos / 1e6;
        if (ms >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", ms);
        }
        if (ms >= 10) {
            return String.format(Locale.ROOT, "%.1f ms", ms);
        }
        return String.format(Locale.ROOT, "%.2f ms", ms);
    }

    public static double toMs(double nanos) {
        return Math.round(nanos / 1e3) / 1e3;
    }
}
