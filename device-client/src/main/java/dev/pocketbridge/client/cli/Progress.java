package dev.pocketbridge.client.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The progress of one file on standard error, in chunks: on a terminal a bar redrawn in place
 * ({@code sending report.pdf [#######·······] 3/8 chunks, 1.5/4.0 MiB}), else one plain line
 * per chunk.
 */
final class Progress {

    private static final int BAR = 24;

    private final PrintStream err;
    private final boolean terminal;
    private final String label;
    private final int count;
    private final long size;
    private boolean drawn;

    /** {@code label}: e.g. {@code sending report.pdf}; {@code size}: the file's bytes. */
    Progress(PrintStream err, boolean terminal, String label, int count, long size) {
        this.err = err;
        this.terminal = terminal;
        this.label = label;
        this.count = count;
        this.size = size;
    }

    /** {@code done} of the chunks, {@code bytes} of the file, are through. */
    void update(int done, long bytes) {
        String amounts = done + "/" + count + " chunks, " + bytes(bytes) + " of " + bytes(size);
        if (terminal) {
            int filled = count == 0 ? BAR : (int) ((long) BAR * done / count);
            err.print("\r" + label + " [" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + amounts + "\u001b[K");
            err.flush();
            drawn = true;
        } else {
            err.println(label + ": " + amounts);
        }
    }

    /** Ends the bar's line (nothing to do for plain lines). */
    void finish() {
        if (terminal && drawn) {
            err.println();
            drawn = false;
        }
    }

    /** {@code 812 B}, {@code 1.5 KiB}, {@code 4.0 MiB}, {@code 1.2 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = n;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
