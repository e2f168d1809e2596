package dev.speckitty.cli.backend;

import dev.speckitty.cli.CliException;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/** What the daemon queued of an import, part by part ({@link SyncBackends#enqueueAll}). Used by one import. */
final class ImportTally {
    private final boolean keepIds;
    private final List<String> ids = new ArrayList<>();
    private long accepted;
    private long depth;
    private int parts;

    ImportTally(boolean keepIds) {
        this.keepIds = keepIds;
    }

    void add(EnqueueResponse part) {
        parts++;
        accepted += part.accepted();
        depth = part.queueDepth();
        if (keepIds) {
            ids.addAll(part.eventIds());
        }
    }

    /** Whether no part went through the daemon. */
    boolean empty() {
        return parts == 0;
    }

    /** The whole import as answered, {@code throughDaemon} or not. */
    SyncBackend.Enqueued through(boolean throughDaemon) {
        return new SyncBackend.Enqueued(new EnqueueResponse((int) Math.min(Integer.MAX_VALUE, accepted), ids, depth), throughDaemon);
    }

    /** The whole import when the parts after these were queued in this process ({@code rest}). */
    SyncBackend.Enqueued then(SyncBackend.Enqueued rest) {
        add(rest.response());
        return through(rest.throughDaemon() || parts > 1);
    }

    /** {@code refusal} of a later part, saying that the parts before it stay queued. */
    CliException partly(CliException refusal) {
        if (parts == 0) {
            return refusal;
        }
        return new CliException(refusal.exitCode(), refusal.getMessage() + "\n(" + accepted + " event" + (accepted == 1 ? "" : "s")
                + " of this import, from the parts before, were queued and stay queued)");
    }

    /** {@code first}, then the rest of {@code parts}. */
    static Iterator<EnqueueRequest> prepend(EnqueueRequest first, Iterator<EnqueueRequest> parts) {
        return new Iterator<>() {
            private boolean taken;

            @Override
            public boolean hasNext() {
                return !taken || parts.hasNext();
            }

            @Override
            public EnqueueRequest next() {
                if (!taken) {
                    taken = true;
                    return first;
                }
                if (!parts.hasNext()) {
                    throw new NoSuchElementException();
                }
                return parts.next();
            }
        };
    }
}
