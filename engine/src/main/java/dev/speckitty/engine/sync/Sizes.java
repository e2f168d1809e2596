package dev.speckitty.engine.sync;

import dev.speckitty.protocol.event.EventLimits;
import java.util.Locale;

/** Byte counts as a person reads them in a reason ({@code 300 KiB}, {@code 18.1 MiB}). Stateless. */
public final class Sizes {
    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        if (bytes < 1024 * 1024) {
            return oneDecimal(bytes / 1024.0) + " KiB";
        }
        return oneDecimal(bytes / (1024.0 * 1024.0)) + " MiB";
    }

    /** The reason given for an event larger than {@link EventLimits#MAX_EVENT_BYTES}. */
    static String eventTooLarge(long bytes) {
        return "event is " + human(bytes) + " (expected: at most " + human(EventLimits.MAX_EVENT_BYTES) + ")";
    }

    private static String oneDecimal(double value) {
        // Up, not to nearest: an event a few bytes over the limit must not read "256 KiB (expected: at most 256 KiB)".
        double rounded = Math.ceil(value * 10) / 10.0;
        return rounded == Math.rint(rounded) ? Long.toString((long) rounded) : String.format(Locale.ROOT, "%.1f", rounded);
    }
}
