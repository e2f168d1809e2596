package dev.speckitty.cli.local;

import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import java.util.function.Consumer;

/**
 * The daemon's engine run inside the CLI process, for when no daemon answers. Owned by the one
 * command that opened it.
 */
public interface LocalBackend extends AutoCloseable {
    /** Validates every event, then queues them all in one transaction (with the clock lock). */
    EnqueueResponse enqueue(EnqueueRequest request);

    SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates);

    DryRunReport dryRun();

    @Override
    void close();
}
