package dev.speckitty.cli.local;

import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.engine.LocalEngine;
import dev.speckitty.engine.store.DiskFullException;
import dev.speckitty.engine.store.QueueFullException;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.EnqueueResponse;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import dev.speckitty.protocol.local.SpecKittyHome;

import java.util.function.Consumer;

/** Opens the daemon's engine in this process, for when no daemon answers. */
public final class LocalBackends {
    private LocalBackends() {
    }

    public static LocalBackend open(SpecKittyHome home) {
        SqliteNativeCache.prepare();
        return new InProcess(LocalEngine.open(home));
    }

    /** The engine for recording events: a malformed {@code config.toml} is reported to {@code problem}, not fatal. */
    public static LocalBackend openForRecording(SpecKittyHome home, java.util.function.Consumer<String> problem) {
        SqliteNativeCache.prepare();
        return new InProcess(LocalEngine.openForRecording(home, problem));
    }

    /** {@link LocalBackend} over the daemon's {@link LocalEngine}; owned by one command. */
    private static final class InProcess implements LocalBackend {
        private final LocalEngine engine;

        InProcess(LocalEngine engine) {
            this.engine = engine;
        }

        @Override
        public EnqueueResponse enqueue(EnqueueRequest request) {
            try {
                return engine.enqueue(request);
            } catch (QueueFullException | DiskFullException e) {
                throw new CliException(ExitCodes.QUEUE_FULL, e.getMessage());
            }
        }

        @Override
        public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
            return engine.sync(request, updates);
        }

        @Override
        public DryRunReport dryRun() {
            return engine.dryRun();
        }

        @Override
        public void close() {
            engine.close();
        }
    }
}
