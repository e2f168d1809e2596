package dev.speckitty.cli;

import dev.speckitty.cli.backend.DaemonClient;
import dev.speckitty.cli.backend.SyncBackend;
import dev.speckitty.cli.backend.SyncBackends;
import dev.speckitty.cli.control.ControlClient;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * Base of every subcommand: reaches the {@link CliContext} through the root {@link Main} and opens
 * control-API clients that share one version warning. Each instance serves one invocation.
 */
public abstract class CliCommand implements Callable<Integer> {
    /** How long the CLI waits for the daemon to say anything before giving up. */
    protected static final Duration CONTROL_IDLE_TIMEOUT = Duration.ofSeconds(30);

    @Spec
    protected CommandSpec spec;

    /** The root when the command runs without picocli (see {@link LeanCommandLine}); otherwise null. */
    private Main root;

    /** Binds this command to {@code main} so it can run without a picocli model. */
    final Callable<Integer> boundTo(Main main) {
        this.root = main;
        return this;
    }

    private Main root() {
        return root != null ? root : (Main) spec.root().userObject();
    }

    protected final CliContext ctx() {
        return root().context();
    }

    protected final ControlClient control() {
        return root().control(CONTROL_IDLE_TIMEOUT);
    }

    /** The daemon's control API as typed calls (for what only a running daemon can tell or do). */
    protected final DaemonClient daemon() {
        return new DaemonClient(control());
    }

    /**
     * The sync engine for this command: the daemon when it answers, else this process (then
     * {@code whenInProcess}, which may be null, runs first, once). Close it when done.
     */
    protected final SyncBackend backend(Runnable whenInProcess) {
        return SyncBackends.forCommand(ctx(), control(), whenInProcess);
    }
}
