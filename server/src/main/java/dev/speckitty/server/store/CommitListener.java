package dev.speckitty.server.store;

import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Told about events that were just committed, in sequence order. It must not block. A store used by
 * one process (SQLite) calls it under its write order, so calls arrive in cursor order. A store shared
 * by several server instances (PostgreSQL) may call it with a gap (events committed by another
 * instance come later); a listener that tracks what it delivered ({@link #delivered}) ignores
 * events that do not follow on, and the store then reads the missing ones and calls it again.
 */
@FunctionalInterface
public interface CommitListener {
    CommitListener NONE = (team, events) -> { };

    void committed(String team, List<SequencedEvent> events);

    /**
     * The cursor of the team's last delivered event, when this listener needs every event of the
     * team in order (someone is connected); empty when it does not care about the team.
     */
    default OptionalLong delivered(String team) {
        return OptionalLong.empty();
    }

    /** The teams for which {@link #delivered} is present now (checked after a lost notification channel). */
    default Set<String> teams() {
        return Set.of();
    }
}
