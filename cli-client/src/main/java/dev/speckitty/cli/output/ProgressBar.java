package dev.speckitty.cli.output;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn with {@code \r} on stderr, only when a person watches a terminal;
 * otherwise every call is a no-op so piped output stays clean. Used by one thread.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean enabled;
    private int lastLength;
    private String lastDrawn = "";

    public ProgressBar(PrintStream err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** Draws {@code label [=====     ] done/total}; total ≤ 0 (a pull, whose size is unknown) draws {@code pull    2527 events}. */
    public void update(String label, long done, long total) {
        if (!enabled) {
            return;
        }
        String line;
        if (total > 0) {
            long clamped = Math.min(done, total);
            int filled = (int) (WIDTH * clamped / total);
            line = String.format("%-7s [%s%s] %d/%d", label, "=".repeat(filled), " ".repeat(WIDTH - filled), clamped, total);
        } else {
            line = String.format("%-7s %d %s", label, done, done == 1 ? "event" : "events");
        }
        if (line.equals(lastDrawn)) {
            return;
        }
        lastDrawn = line;
        int pad = Math.max(0, lastLength - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        lastLength = line.length();
    }

    /** Erases the bar so the next output starts on a clean line. */
    public void clear() {
        if (!enabled || lastLength == 0) {
            return;
        }
        err.print("\r" + " ".repeat(lastLength) + "\r");
        err.flush();
        lastLength = 0;
        lastDrawn = "";
    }
}
