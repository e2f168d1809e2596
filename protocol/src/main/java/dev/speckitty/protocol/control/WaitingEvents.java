package dev.speckitty.protocol.control;

/**
 * Queued events recorded for another team or server than the one logged in: they wait for that
 * login (or an explicit {@code events move} / {@code events discard --waiting}). {@code server} is
 * the normalised URL, empty when none was recorded (the Python tool's events).
 */
public record WaitingEvents(String team, String server, long count) {
    /** "3 events waiting for team-a on https://a.example". */
    public String describe() {
        return count + (count == 1 ? " event" : " events") + " waiting for " + team
                + (server.isEmpty() ? " (server not recorded)" : " on " + server);
    }
}
