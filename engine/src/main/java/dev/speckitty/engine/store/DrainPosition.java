package dev.speckitty.engine.store;

/**
 * A place in drain order ({@code ORDER BY timestamp, id}). A sync walks forward from {@link #START},
 * so rejected rows stay in the queue without being re-sent, or blocking others, within one run.
 */
public record DrainPosition(long timestamp, long id) {
    public static final DrainPosition START = new DrainPosition(Long.MIN_VALUE, Long.MIN_VALUE);
}
