package dev.speckitty.protocol.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.speckitty.protocol.json.WireNames;

/** The server's verdict on one uploaded event. */
public enum ResultStatus {
    SUCCESS, DUPLICATE, REJECTED;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ResultStatus fromWire(String s) {
        return WireNames.strict(ResultStatus.class, s);
    }

    /** Success and duplicate both mean the server has the event: it may leave the queue. */
    public boolean acknowledged() {
        return this != REJECTED;
    }
}
