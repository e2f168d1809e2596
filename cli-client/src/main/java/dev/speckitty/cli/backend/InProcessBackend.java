package dev.speckitty.cli.backend;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.Settings;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.store.DiskFullException;
import dev.speckitty.engine.store.QueueFullException;
import dev.speckitty.engine.store.QueueStore;
import dev.speckitty.engine.store.ReadOnlyQueue;
import dev.speckitty.engine.store.Scope;
import dev.speckitty.protocol.Printable;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.control.WaitingEvents;
import dev.speckitty.protocol.event.InvalidEventException;
import dev.speckitty.protocol.event.Violation;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The daemon's engine ({@link LocalEngine}) run in this process, for when no daemon answers. Each
 * call opens only what it needs, once: the engine for recording or syncing, the queue store for
 * parked events, and nothing but a read-only look at {@code queue.db} for the status. Owned by the
 * one command that made it; {@link #close()} closes what was opened.
 */
public final class InProcessBackend implements SyncBackend {
    private final CliContext ctx;
    private LocalEngine engine;
    private QueueStore store;

    public InProcessBackend(CliContext ctx) {
        this.ctx = ctx;
    }

    /** Read-only: a missing {@code queue.db} is an empty queue and is not created. */
    @Override
    public Status status() {
        Optional<Scope> scope = Settings.currentScope(ctx);
        Optional<ReadOnlyQueue> file = openReadOnly(ctx);
        if (file.isEmpty()) {
            return new Status(Optional.empty(), new QueueStats(0, 0, Map.of(), 0), InboxIssues.NONE, List.of());
        }
        try (ReadOnlyQueue queue = file.get()) {
            InboxIssues inbox = queue.inboxIssues();
            return new Status(Optional.empty(), queue.stats(ctx.clock().instant()), inbox, queue.waiting(scope));
        }
    }

    /** The queued events waiting for another login, read from {@code queue.db} (a daemon too old to report them). */
    List<WaitingEvents> waiting() {
        return waiting(ctx, Settings.currentScope(ctx));
    }

    /** The queued events that may not leave with {@code current}, read from {@code queue.db}; none without one. */
    public static List<WaitingEvents> waiting(CliContext ctx, Optional<Scope> current) {
        Optional<ReadOnlyQueue> file = openReadOnly(ctx);
        if (file.isEmpty()) {
            return List.of();
        }
        try (ReadOnlyQueue queue = file.get()) {
            return queue.waiting(current);
        }
    }

    private static Optional<ReadOnlyQueue> openReadOnly(CliContext ctx) {
        return ReadOnlyQueue.open(ctx.home().queueDb());
    }

    @Override
    public Enqueued enqueue(EnqueueRequest request, int invalidExitCode) {
        return Recording.enqueue(recording(), request, invalidExitCode, ctx);
    }

    private LocalEngine recording() {
        if (engine == null) {
            // A malformed config.toml does not stop recording: the defaults apply, and the user is told.
            engine = LocalEngine.openForRecording(ctx.home(), problem -> ctx.err().println("warning: " + problem
                    + "; recording with the default settings (fix the file before `spec-kitty sync now`)"));
        }
        return engine;
    }

    /** All parts in one transaction, each validated and completed as it is read. */
    @Override
    public Enqueued enqueueAll(Iterator<EnqueueRequest> parts, boolean keepIds, int invalidExitCode) {
        return Recording.enqueueAll(recording(), parts, keepIds, invalidExitCode, ctx);
    }

    /**
     * The engine's refusals of an enqueue, as the user reads them. A class of its own so that
     * {@code sync status} with the daemon down does not load the exception types it catches.
     */
    private static final class Recording {
        static Enqueued enqueue(LocalEngine engine, EnqueueRequest request, int invalidExitCode, CliContext ctx) {
            return refusing(() -> engine.enqueue(request), invalidExitCode, ctx);
        }

        static Enqueued enqueueAll(LocalEngine engine, Iterator<EnqueueRequest> parts, boolean keepIds, int invalidExitCode, CliContext ctx) {
            return refusing(() -> {
                QueueStore.Imported done = engine.enqueueAll(parts, keepIds);
                return new EnqueueResponse((int) Math.min(Integer.MAX_VALUE, done.queued()), done.ids(), done.depth());
            }, invalidExitCode, ctx);
        }

        /** What {@code queue} answered, or its refusal as the user reads it. */
        private static Enqueued refusing(java.util.function.Supplier<EnqueueResponse> queue, int invalidExitCode, CliContext ctx) {
            try {
                return new Enqueued(queue.get(), false);
            } catch (QueueFullException | DiskFullException e) {
                throw new CliException(ExitCodes.QUEUE_FULL, e.getMessage());
            } catch (InvalidEventException invalid) {
                throw invalid(invalid, invalidExitCode, ctx);
            }
        }

        private static CliException invalid(InvalidEventException invalid, int invalidExitCode, CliContext ctx) {
            StringBuilder listed = new StringBuilder();
            boolean clockFields = false;
            for (Violation v : invalid.violations()) {
                clockFields |= v.field().equals("node_id") || v.field().equals("lamport_clock");
            }
            if (clockFields) {
                // Those fields come from clock.json, not from the user's input: name the file.
                for (Violation v : invalid.violations()) {
                    listed.append(listed.length() == 0 ? "" : "; ").append(v);
                }
                return CliException.failure("nothing was queued: " + ctx.home().clock() + " is damaged (" + Printable.clip(listed.toString(), 300)
                        + "); move it aside (`mv " + ctx.home().clock() + " " + ctx.home().clock() + ".bad`) and record the event again");
            }
            for (Violation v : invalid.violations()) {
                listed.append(listed.length() == 0 ? "" : "\n").append("  ").append(v);
            }
            return new CliException(invalidExitCode, "nothing was queued; the event is invalid:\n" + listed);
        }
    }

    @Override
    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        return engine().sync(request, updates);
    }

    @Override
    public DryRunReport dryRun(SyncRequest request) {
        return engine().dryRun();
    }

    @Override
    public List<ParkedEvent> parked() {
        return store().parked();
    }

    @Override
    public int retryParked(ParkedAction action) {
        return store().retryParked(action);
    }

    @Override
    public int discardParked(ParkedAction action) {
        return store().discardParked(action);
    }

    private LocalEngine engine() {
        if (engine == null) {
            engine = LocalEngine.open(ctx.home());
        }
        return engine;
    }

    /** The queue store alone: parked events need neither the clock nor the server. */
    private QueueStore store() {
        if (engine != null) {
            return engine.store();
        }
        if (store == null) {
            store = QueueStore.open(ctx.home().queueDb(), QueueStore.StoreOptions.defaults());
        }
        return store;
    }

    @Override
    public void close() {
        try {
            if (store != null) {
                store.close();
            }
        } finally {
            if (engine != null) {
                engine.close();
            }
        }
    }
}
