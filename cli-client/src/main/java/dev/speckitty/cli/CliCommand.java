package dev.speckitty.cli;

import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.VersionCheck;
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

    protected final CliContext ctx() {
        return ((Main) spec.root().userObject()).context();
    }

    protected final ControlClient control() {
        Main main = (Main) spec.root().userObject();
        return main.control(CONTROL_IDLE_TIMEOUT);
    }

    /** A client with a custom idle timeout (long-running syncs). */
    protected final ControlClient control(Duration idleTimeout) {
        return ((Main) spec.root().userObject()).control(idleTimeout);
    }

    static VersionCheck versionCheck(CliContext ctx) {
        return VersionCheck.current(ctx.err());
    }
}
