package dev.speckitty.cli.backend;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.control.ControlApiException;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.protocol.OneAhead;
import dev.speckitty.protocol.control.DryRunReport;
import dev.speckitty.protocol.control.EnqueueRequest;
import dev.speckitty.protocol.control.ParkedAction;
import dev.speckitty.protocol.control.ParkedEvent;
import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.control.SyncSummary;
import dev.speckitty.protocol.control.SyncUpdate;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The backend of one command: the daemon when it answers, this process when it does not. The choice
 * is made once, by the command's first call, and no probe goes before it: the first request either
 * reaches a daemon or finds none ({@link DaemonNotRunningException}), and in that case it and every
 * later call of the command run in this process. Used by one command.
 */
public final class SyncBackends implements SyncBackend {
    private final CliContext ctx;
    private final DaemonClient daemon;
    private final Runnable whenInProcess;
    private InProcessBackend local;

    private SyncBackends(CliContext ctx, DaemonClient daemon, Runnable whenInProcess) {
        this.ctx = ctx;
        this.daemon = daemon;
        this.whenInProcess = whenInProcess;
    }

    /**
     * The backend of a command; {@code whenInProcess} (may be null) runs once, before the first call
     * that runs in this process.
     */
    public static SyncBackend forCommand(CliContext ctx, ControlClient control, Runnable whenInProcess) {
        return new SyncBackends(ctx, new DaemonClient(control), whenInProcess);
    }

    /** Whether the command went on without a daemon. */
    private boolean inProcess() {
        return local != null;
    }

    private InProcessBackend local() {
        if (local == null) {
            local = new InProcessBackend(ctx);
            if (whenInProcess != null) {
                whenInProcess.run();
            }
        }
        return local;
    }

    /**
     * A daemon that answers badly is reported and the local files are shown instead (a status is a
     * report: it should say what it can).
     */
    @Override
    public Status status() {
        if (!inProcess()) {
            try {
                Status s = daemon.status();
                return s.daemon().get().waiting() != null ? s : new Status(s.daemon(), s.queue(), s.inboxIssues(), local().waiting());
            } catch (DaemonNotRunningException e) {
                // no daemon: the files below
            } catch (ControlApiException e) {
                ctx.err().println("warning: " + e.getMessage() + "; showing the local files instead");
            }
        }
        return local().status();
    }

    /**
     * A daemon at its connection bound (or shutting down) answers 503 without taking the events: they
     * go to {@code queue.db} directly, which it drains by itself.
     */
    @Override
    public Enqueued enqueue(EnqueueRequest request, int invalidExitCode) {
        if (!inProcess()) {
            try {
                return daemon.enqueue(request, invalidExitCode);
            } catch (DaemonNotRunningException e) {
                // no daemon: this process
            } catch (DaemonClient.DaemonBusyException e) {
                ctx.err().println("warning: the daemon could not take the events (" + e.getMessage()
                        + "); queuing them in " + ctx.home().queueDb() + ", which it sends from");
                return local().enqueue(request, invalidExitCode);
            }
        }
        return local().enqueue(request, invalidExitCode);
    }

    /**
     * The parts go to the daemon one by one, each read and written as JSON on a second thread while the
     * daemon queues the one before; once it does not answer (or is busy), this part and the rest go to
     * {@code queue.db} in one transaction, which it sends from.
     */
    @Override
    public Enqueued enqueueAll(Iterator<EnqueueRequest> parts, boolean keepIds, int invalidExitCode) {
        if (inProcess()) {
            return local().enqueueAll(parts, keepIds, invalidExitCode);
        }
        ImportTally tally = new ImportTally(keepIds);
        try (OneAhead<DaemonClient.Encoded> encoded = new OneAhead<>("import-read",
                () -> parts.hasNext() ? DaemonClient.Encoded.of(parts.next()) : null)) {
            Iterator<EnqueueRequest> rest = new Iterator<>() { // the parts not sent, as read
                @Override
                public boolean hasNext() {
                    return encoded.hasNext();
                }

                @Override
                public EnqueueRequest next() {
                    return encoded.next().request();
                }
            };
            while (true) {
                DaemonClient.Encoded part;
                try {
                    if (!encoded.hasNext()) {
                        break;
                    }
                    part = encoded.next();
                } catch (CliException e) {
                    throw tally.partly(e); // a part that could not be read (the file changed): say what stays queued
                }
                try {
                    tally.add(daemon.enqueue(part, invalidExitCode).response());
                    continue;
                } catch (DaemonNotRunningException e) {
                    // no daemon: this part and the rest in this process
                } catch (DaemonClient.DaemonBusyException e) {
                    ctx.err().println("warning: the daemon could not take the events (" + e.getMessage()
                            + "); queuing the rest in " + ctx.home().queueDb() + ", which it sends from");
                } catch (CliException e) {
                    throw tally.partly(e);
                }
                try {
                    return tally.then(local().enqueueAll(ImportTally.prepend(part.request(), rest), keepIds, invalidExitCode));
                } catch (CliException e) {
                    throw tally.partly(e);
                }
            }
        }
        return tally.empty() ? local().enqueueAll(List.<EnqueueRequest>of().iterator(), keepIds, invalidExitCode) : tally.through(true);
    }

    @Override
    public SyncSummary sync(SyncRequest request, Consumer<SyncUpdate> updates) {
        return either(b -> b.sync(request, updates));
    }

    @Override
    public DryRunReport dryRun(SyncRequest request) {
        return either(b -> b.dryRun(request));
    }

    @Override
    public List<ParkedEvent> parked() {
        return either(SyncBackend::parked);
    }

    @Override
    public int retryParked(ParkedAction action) {
        return either(b -> b.retryParked(action));
    }

    @Override
    public int discardParked(ParkedAction action) {
        return either(b -> b.discardParked(action));
    }

    /** {@code call} on the daemon, or in this process once none answers. */
    private <T> T either(Function<SyncBackend, T> call) {
        if (!inProcess()) {
            try {
                return call.apply(daemon);
            } catch (DaemonNotRunningException e) {
                // no daemon: this process
            }
        }
        return call.apply(local());
    }

    @Override
    public void close() {
        if (local != null) {
            local.close();
        }
    }
}
