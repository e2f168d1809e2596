package dev.speckitty.daemon.sync;

import dev.speckitty.protocol.control.EventOutcome;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A sync the daemon started by itself (a drain after an enqueue, a reconnect, the timer) that a
 * {@code sync now} can join: the joiner sees its progress from then on and its summary, instead of
 * waiting behind it and reporting "pushed 0". Written by the thread running the sync; watchers are
 * added from control threads.
 */
final class SharedSync implements Consumer<SyncUpdate> {
    private final List<Consumer<SyncUpdate>> watchers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<SyncSummary> done = new CompletableFuture<>();

    @Override
    public void accept(SyncUpdate update) {
        for (Consumer<SyncUpdate> w : watchers) {
            w.accept(update);
        }
    }

    void finish(SyncSummary summary) {
        done.complete(summary);
    }

    /** Whether the sync still runs, so that joining it is worth it. */
    boolean running() {
        return !done.isDone();
    }

    /** Forwards the rest of the sync's progress to {@code updates} and waits for its summary. */
    SyncSummary join(Consumer<SyncUpdate> updates) {
        watchers.add(updates);
        try {
            return done.join();
        } finally {
            watchers.remove(updates);
        }
    }

    /** One summary for a joined sync followed by the caller's own: counts added, the state of the last. */
    static SyncSummary merge(SyncSummary joined, SyncSummary own) {
        List<EventOutcome> rejected = new ArrayList<>(joined.rejectedEvents());
        rejected.addAll(own.rejectedEvents());
        return new SyncSummary(own.ok(), own.serverUrl() != null ? own.serverUrl() : joined.serverUrl(),
                joined.pushed() + own.pushed(), joined.duplicates() + own.duplicates(), joined.rejected() + own.rejected(),
                joined.pulled() + own.pulled(), joined.batches() + own.batches(), own.parked(), own.remaining(), rejected,
                own.error(), own.errorKind(), joined.durationMs() + own.durationMs(), own.finishedAt());
    }
}
