package dev.speckitty.cli;

import dev.speckitty.cli.control.ControlClient;
import dev.speckitty.cli.control.PeerCheck;
import dev.speckitty.cli.control.VersionCheck;
import dev.speckitty.cli.help.HelpLayout;
import dev.speckitty.cli.help.UsageErrors;
import dev.speckitty.protocol.Version;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code spec-kitty} command: parses arguments and dispatches to a subcommand. */
@Command(name = "spec-kitty",
        mixinStandardHelpOptions = true,
        scope = CommandLine.ScopeType.INHERIT,
        versionProvider = Main.VersionProvider.class,
        description = {"Spec-driven development with offline-first team sync.",
                "Events are recorded locally and synced with the team server by a background daemon."})
public final class Main implements Runnable {
    /** The environment variable that, set to anything but 0 or empty, is {@code --debug}. */
    static final String DEBUG_ENV = "SPEC_KITTY_DEBUG";

    private CliContext context;
    private boolean debug;
    private VersionCheck versionCheck;
    private PeerCheck peerCheck;

    @Spec
    CommandSpec spec;

    /** Shown in help; taken from the command line before parsing (see {@link GlobalOptions}). */
    @Option(names = "--home", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT, description = "Use DIR instead of SPEC_KITTY_HOME (default ~/.spec-kitty).")
    Path homeOption;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors (also SPEC_KITTY_DEBUG=1).")
    boolean debugOption;

    public Main(CliContext context) {
        this.context = context;
    }

    /** Runs one command line in {@code context} and returns the exit code (tests call this in-process). */
    public static int execute(CliContext context, String... args) {
        GlobalOptions global;
        try {
            global = GlobalOptions.strip(args);
        } catch (CliException e) {
            PrintWriter err = new PrintWriter(context.err(), true);
            err.println("error: " + e.getMessage());
            return e.exitCode();
        }
        Main main = new Main(global.home() == null ? context : context.withHome(SpecKittyHome.at(context.cwd().resolve(expandTilde(global.home())))));
        String debugEnv = System.getenv(DEBUG_ENV);
        main.debug = global.debug() || (debugEnv != null && !debugEnv.isEmpty() && !debugEnv.equals("0"));
        args = global.rest();
        Callable<Integer> lean = LeanCommandLine.match(main, args);
        if (lean != null) {
            return main.runLean(lean);
        }
        CommandLine cmd = new CommandLine(main);
        CommandTree.addFor(cmd, args);
        return main.configure(cmd).execute(args);
    }

    /** {@code ~/x} as the shell would expand it, for {@code --home=~/x} (the shell leaves that one alone). */
    private static String expandTilde(String path) {
        String home = System.getenv("HOME");
        return path.startsWith("~/") && home != null ? home + path.substring(1) : path;
    }

    /** Runs a command {@link LeanCommandLine} matched, failing the way picocli's execution would. */
    private int runLean(Callable<Integer> command) {
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
        Main main = new Main(context);
        CommandLine cmd = new CommandLine(main);
        CommandTree.addAll(cmd);
        return main.configure(cmd);
    }

    private CommandLine configure(CommandLine cmd) {
        cmd.setOut(new PrintWriter(context.out(), true));
        cmd.setErr(new PrintWriter(context.err(), true));
        cmd.setExecutionExceptionHandler((e, c, parsed) -> e instanceof CommandLine.ParameterException p
                ? UsageErrors.print(p, c.getErr(), ExitCodes.USAGE) : handle(e, c.getErr()));
        cmd.setParameterExceptionHandler((e, a) -> UsageErrors.print(e, e.getCommandLine().getErr(), ExitCodes.USAGE));
        applyExitCodeHelp(cmd);
        HelpLayout.apply(cmd, footer(context));
        cmd.setExitCodeExceptionMapper(t -> t instanceof CliException c ? c.exitCode()
                : t instanceof CommandLine.ParameterException ? ExitCodes.USAGE : ExitCodes.FAILURE);
        return cmd;
    }

    /** Where the full reference is: the docs the distribution ships, found from the launcher's install directory. */
    static String footer(CliContext context) {
        String docs = context.appHome().map(h -> h.resolve("docs").resolve("CLI.md").toString())
                .orElse("docs/CLI.md in the spec-kitty distribution");
        return "Files live in SPEC_KITTY_HOME (default ~/.spec-kitty). Every command, option and exit code: " + docs;
    }

    private static void applyExitCodeHelp(CommandLine cmd) {
        cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCodes.helpList());
        cmd.getSubcommands().values().forEach(Main::applyExitCodeHelp);
    }

    public CliContext context() {
        return context;
    }

    /** Whether errors print their stack traces ({@code --debug} or {@code SPEC_KITTY_DEBUG}). */
    public boolean debug() {
        return debug;
    }

    /** A control-API client; all of them share one version warning and one foreign-socket warning per process. */
    ControlClient control(Duration idleTimeout) {
        if (versionCheck == null) {
            versionCheck = VersionCheck.current(context.err());
            peerCheck = new PeerCheck(context.err());
        }
        return new ControlClient(context.home().socket(), idleTimeout, versionCheck, peerCheck);
    }

    /** {@code spec-kitty} alone: the help page with the command list. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints a user-facing message (a stack trace only with --debug) and maps the failure to an exit code. */
    private int handle(Exception e, PrintWriter err) {
        int code;
        if (e instanceof CliException c) {
            // Messages quote what libraries said (a TLS failure names a JDK class): no type reaches the terminal.
            err.println("error: " + ErrorText.clean(c.getMessage()));
            code = c.exitCode();
        } else if (expected(e)) {
            err.println("error: " + ErrorText.of(e));
            code = ExitCodes.FAILURE;
        } else {
            err.println("error: the command stopped on an internal error (" + ErrorText.of(e) + "). Run it again with --debug"
                    + " for the details, and report them with the output of `spec-kitty version`");
            code = ExitCodes.FAILURE;
        }
        if (debug) {
            e.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** Failures whose message is meant for the user (files, the daemon, bad input). */
    private static boolean expected(Exception e) {
        return e instanceof dev.speckitty.protocol.local.MalformedFileException
                || e instanceof dev.speckitty.cli.control.DaemonNotRunningException
                || e instanceof dev.speckitty.cli.control.ControlApiException
                || e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException
                || e instanceof dev.speckitty.protocol.json.JsonException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException;
    }

    /** Prints the product version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {versionLine()};
        }
    }

    /**
     * The options that apply to every command, taken off the command line before anything parses it
     * (they change the home the lean and the picocli paths both use): {@code --home DIR},
     * {@code --home=DIR}, {@code --debug}. Words after {@code --} are left alone.
     */
    record GlobalOptions(String home, boolean debug, String[] rest) {
        static GlobalOptions strip(String[] args) {
            String home = null;
            boolean debug = false;
            List<String> rest = new ArrayList<>();
            boolean literal = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (literal || a.equals("--")) {
                    literal = true;
                    rest.add(a);
                } else if (a.equals("--debug")) {
                    debug = true;
                } else if (a.equals("--home")) {
                    if (i + 1 == args.length || args[i + 1].isBlank()) {
                        throw CliException.usage("--home needs a directory, e.g. --home ~/.spec-kitty-work");
                    }
                    home = args[++i];
                } else if (a.startsWith("--home=")) {
                    home = a.substring("--home=".length());
                    if (home.isBlank()) {
                        throw CliException.usage("--home needs a directory, e.g. --home=~/.spec-kitty-work");
                    }
                } else {
                    rest.add(a);
                }
            }
            return new GlobalOptions(home, debug, rest.toArray(new String[0]));
        }
    }
}
