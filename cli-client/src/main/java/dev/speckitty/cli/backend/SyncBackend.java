package dev.speckitty.cli.backend;

import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.InboxIssues;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.QueueStats;
import dev.speckitty.protocol.control.StatusResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.control.WaitingEvents;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a command asks of the sync engine, wherever it runs: the daemon through its control API
 * ({@link DaemonClient}) or this process ({@link InProcessBackend}); {@link SyncBackends} picks one
 * per command. Failures a user should read are {@code CliException}s with the exit codes of
 * {@code ExitCodes}, mapped here and not in the commands. Owned by one command.
 */
public interface SyncBackend extends AutoCloseable {
    /** The sync state {@code sync status} reports: the daemon's own when it runs, else read from the files. */
    Status status();

    /**
     * Validates every event, then queues them all (one transaction, with the clock lock); nothing is
     * queued when one is refused, which fails with {@code invalidExitCode}.
     */
    Enqueued enqueue(EnqueueRequest request, int invalidExitCode);

    /**
     * Queues the parts of one import, read as they are needed: in this process all in one transaction
     * (none is queued when one is refused); through the daemon part by part, each queued whole, and a
     * refusal says how many events the parts before it queued. The answer's ids are kept only when
     * {@code keepIds}; its depth is the queue's after the last part.
     */
    Enqueued enqueueAll(Iterator<EnqueueRequest> parts, boolean keepIds, int invalidExitCode);

    /** One push and pull, telling {@code updates} as it goes; returns the summary (which may be a failure). */
    SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates);

    /** What a sync would push and pull, changing nothing. */
    DryRunReport dryRun(SyncRequest request);

    List<ParkedEvent> parked();

    /** Puts the chosen parked events back in the queue; returns how many were. */
    int retryParked(ParkedAction action);

    /** Drops the chosen parked events for good; returns how many were. */
    int discardParked(ParkedAction action);

    @Override
    void close();

    /** Where events went and what the queue holds now. */
    record Enqueued(EnqueueResponse response, boolean throughDaemon) {
    }

    /**
     * The queue's figures, the inbox's issues and the events waiting for another login, with the
     * daemon's status when one answered ({@code daemon} empty: read from {@code queue.db}, read-only).
     */
    record Status(Optional<StatusResponse> daemon, QueueStats queue, InboxIssues inboxIssues, List<WaitingEvents> waiting) {
    }
}
