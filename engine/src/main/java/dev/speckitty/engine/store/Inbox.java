package dev.speckitty.engine.store;

import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.event.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * Events pulled from the team server (or received live), unique by event_id, plus the saved cursor.
 * Thread-safe; blocking JDBC, never on an event loop.
 */
public interface Inbox {
    /**
     * Stores the events that are not there yet and saves {@code cursor}, in ONE transaction; answers
     * how many were new. The caller has already merged their clocks into the Lamport clock.
     */
    default int store(List<Event> events, String cursor) {
        List<InboxRow> rows = new ArrayList<>(events.size());
        for (Event e : events) {
            rows.add(InboxRow.of(e));
        }
        return storeRows(rows, cursor);
    }

    /** {@link #store} for rows whose JSON is already written (the daemon's own events coming back). */
    default int storeRows(List<InboxRow> rows, String cursor) {
        return storeRows(rows, List.of(), cursor);
    }

    /**
     * Stores the rows that are not there yet, records the issues (events kept without moving the
     * clock, events skipped) and saves {@code cursor}, in ONE transaction; answers how many rows were new.
     * A row with a position is stored at it; the saved cursor then goes on past {@code cursor} through
     * every contiguous position the inbox holds.
     */
    default int storeRows(List<InboxRow> rows, List<InboxIssue> issues, String cursor) {
        return storeRows(Scope.UNSCOPED, rows, issues, cursor);
    }

    /** {@link #storeRows(List, List, String)} in {@code scope}: its rows and its cursor; the other scopes' stay as they are. */
    int storeRows(Scope scope, List<InboxRow> rows, List<InboxIssue> issues, String cursor);

    /**
     * The first position in {@code after+1..through} that is neither in {@code received} (ascending)
     * nor held in the inbox of {@code scope} (a row with that position); empty when all are explained.
     * How a client tells its own events a pull left out from a real gap (docs/PROTOCOL.md, Cursors).
     */
    java.util.OptionalLong firstUnheld(Scope scope, long after, long through, long[] received);

    /** What the inbox has recorded about events it could not take as they came. */
    InboxIssues issues();

    /** The cursor of the last stored server position; {@code "0"} before the first pull. */
    default String cursor() {
        return cursor(Scope.UNSCOPED);
    }

    /** The cursor of {@code scope}; {@code "0"} before its first pull (a team or server never pulled from). */
    String cursor(Scope scope);

    /** Events in the inbox, of every scope. */
    long size();
}
