package dev.speckitty.e2e.fault;

/** A fault the {@link FaultProxy} applies to each request (or WebSocket connection) while it is set. */
public enum Fault {
    /** Pass everything through. */
    NONE,
    /** Answer {@link FaultProxy#LATENCY} later than the server did. */
    LATENCY,
    /** Reset the client's connection as soon as the request head arrives; nothing reaches the server. */
    RESET_BEFORE_BODY,
    /** Send the server the head and half the body, then reset both connections. */
    RESET_DURING_BODY,
    /** Forward the whole request, let the server act on it, then reset the client instead of answering. */
    RESET_AFTER_BODY,
    /** Accept and read, never answer, never close. */
    BLACK_HOLE,
    /** Answer 500 without forwarding. */
    STATUS_500,
    /** Answer 502 without forwarding. */
    STATUS_502,
    /** Answer 503 without forwarding. */
    STATUS_503,
    /** Forward, then send the answer's head and only half its body, and close. */
    TRUNCATED_BODY,
    /** Forward, then answer the server's status with a body that is not JSON. */
    MALFORMED_JSON,
    /** Forward, then drip the answer out a few bytes at a time. */
    SLOW_DRIP,
    /** Open WebSocket connections stop passing frames both ways, without closing. */
    WS_FREEZE;

    /** True for faults that act on plain HTTP requests. */
    boolean http() {
        return this != NONE && this != WS_FREEZE;
    }

    int status() {
        switch (this) {
            case STATUS_500:
                return 500;
            case STATUS_502:
                return 502;
            case STATUS_503:
                return 503;
            default:
                return 0;
        }
    }
}
