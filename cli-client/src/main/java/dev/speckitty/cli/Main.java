package dev.speckitty.cli;

import dev.speckitty.cli.control.ControlApiException;
import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.DaemonNotRunningException;
import dev.speckitty.cli.control.PeerCheck;
import dev.speckitty.cli.control.VersionCheck;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.json.JsonException;
import dev.speckitty.protocol.local.MalformedFileException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spec-kitty} command: parses arguments and dispatches to a subcommand. */
@Command(name = "spec-kitty",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.VersionProvider.class,
        description = "Spec-driven development with offline-first team sync.",
        footer = {"%nFiles live in SPEC_KITTY_HOME (default ~/.spec-kitty). See docs/CLI.md."})
public final class Main implements Runnable {
    private final CliContext context;
    private VersionCheck versionCheck;
    private PeerCheck peerCheck;

    public Main(CliContext context) {
        this.context = context;
    }

    /** Runs one command line in {@code context} and returns the exit code (tests call this in-process). */
    public static int execute(CliContext context, String... args) {
        Main main = new Main(context);
        Callable<Integer> lean = LeanCommandLine.match(main, args);
        if (lean != null) {
            return runLean(lean, context);
        }
        CommandLine cmd = new CommandLine(main);
        CommandTree.addFor(cmd, args);
        return configure(cmd, context).execute(args);
    }

    /** Runs a command {@link LeanCommandLine} matched, failing the way picocli's execution would. */
    private static int runLean(Callable<Integer> command, CliContext context) {
        PrintWriter err = new PrintWriter(context.err(), true);
        try {
            return command.call();
        } catch (Exception e) {
            return handle(e, err);
        } finally {
            err.flush();
        }
    }

    /** What {@code --version} prints, with or without picocli. */
    static String versionLine() {
        return "spec-kitty " + Version.current();
    }

    /** {@code --version}. */
    int printVersion() {
        context.out().println(versionLine());
        return ExitCodes.OK;
    }

    /** The whole command tree, configured (help, shell completion). */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cmd = new CommandLine(new Main(context));
        CommandTree.addAll(cmd);
        return configure(cmd, context);
    }

    private static CommandLine configure(CommandLine cmd, CliContext context) {
        cmd.setOut(new PrintWriter(context.out(), true));
        cmd.setErr(new PrintWriter(context.err(), true));
        cmd.setExecutionExceptionHandler(Main::handle);
        applyExitCodeHelp(cmd);
        cmd.setExitCodeExceptionMapper(t -> t instanceof CliException c ? c.exitCode()
                : t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        return cmd;
    }

    private static void applyExitCodeHelp(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
        cmd.getSubcommands().values().forEach(Main::applyExitCodeHelp);
    }

    public CliContext context() {
        return context;
    }

    /** A control-API client; all of them share one version warning and one foreign-socket warning per process. */
    ControlClient control(Duration idleTimeout) {
        if (versionCheck == null) {
            versionCheck = VersionCheck.current(context.err());
            peerCheck = new PeerCheck(context.err());
        }
        return new ControlClient(context.home().socket(), idleTimeout, versionCheck, peerCheck);
    }

    @Override
    public void run() {
        new CommandLine(this).usage(context.out());
    }

    /** Prints a user-facing message (never a stack trace) and maps the failure to an exit code. */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return handle(e, cmd.getErr());
    }

    private static int handle(Exception e, PrintWriter err) {
        if (e instanceof CliException c) {
            err.println("error: " + c.getMessage());
            return c.exitCode();
        }
        if (e instanceof MalformedFileException || e instanceof DaemonNotRunningException
                || e instanceof ControlApiException || e instanceof UncheckedIOException
                || e instanceof JsonException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
        err.println("error: unexpected " + e.getClass().getName() + ": " + e.getMessage()
                + " (please report this with `spec-kitty --version`)");
        if (System.getenv("SPEC_KITTY_DEBUG") != null) {
            e.printStackTrace(err);
        }
        return ExitCodes.FAILURE;
    }

    /** Prints the product version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }
}
