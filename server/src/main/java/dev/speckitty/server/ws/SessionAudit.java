package dev.speckitty.server.ws;

import dev.speckitty.server.store.TokenStore;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the WebSocket sessions of removed accounts and revoked logins. {@code user remove} and
 * {@code user revoke} run in another process (or on another instance) against the same database, so
 * the running server finds out by asking: {@link #run} (called every {@code sessionAudit} period)
 * checks the token families of every open session in one query on the blocking executor and revokes
 * the sessions whose family is gone. Thread-safe; at most one check runs at a time.
 */
public final class SessionAudit implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SessionAudit.class);

    private final TeamHub hub;
    private final TokenStore tokens;
    private final Executor blocking;
    private final AtomicBoolean running = new AtomicBoolean();

    public SessionAudit(TeamHub hub, TokenStore tokens, Executor blocking) {
        this.hub = hub;
        this.tokens = tokens;
        this.blocking = blocking;
    }

    /** Schedules one check on the blocking executor (the room monitors it takes may be held by a join reading the database). */
    @Override
    public void run() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            blocking.execute(() -> {
                try {
                    check(hub.sessions());
                } catch (RuntimeException e) {
                    LOG.warn("cannot check the logins of the open WebSocket sessions (retried at the next audit): {}", e.toString());
                } finally {
                    running.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            running.set(false); // shutting down
        }
    }

    private void check(List<MemberSocket> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        Set<String> families = new HashSet<>();
        sessions.forEach(s -> families.add(s.family()));
        Set<String> live = tokens.liveFamilies(families);
        for (MemberSocket s : sessions) {
            if (!live.contains(s.family()) && s.isOpen()) {
                s.revoke();
            }
        }
    }
}
