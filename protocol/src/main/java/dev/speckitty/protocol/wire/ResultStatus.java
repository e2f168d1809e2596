package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The server's verdict on one uploaded event. */
public enum ResultStatus {
    SUCCESS, DUPLICATE, REJECTED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ResultStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }

    /** Success and duplicate both mean the server has the event: it may leave the queue. */
    public boolean acknowledged() {
        return this != REJECTED;
    }
}
