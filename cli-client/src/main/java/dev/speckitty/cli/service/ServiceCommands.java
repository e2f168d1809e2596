package dev.speckitty.cli.service;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code spec-kitty daemon install|uninstall}: the daemon as a per-user systemd or launchd service. */
public final class ServiceCommands {
    private ServiceCommands() {
    }

    /** Chooses the service manager for {@code install} and {@code uninstall}; by default the one of this operating system. */
    static final class KindOption {
        @Option(names = "--systemd", description = "Use a systemd user unit (Linux default).")
        boolean systemd;

        @Option(names = "--launchd", description = "Use a launchd agent (macOS default).")
        boolean launchd;

        static ServiceKind resolve(KindOption option) {
            if (option != null && option.systemd) {
                return ServiceKind.SYSTEMD;
            }
            if (option != null && option.launchd) {
                return ServiceKind.LAUNCHD;
            }
            return ServiceKind.forOs(System.getProperty("os.name"));
        }
    }

    static ServiceInstaller installer(CliContext ctx, ServiceKind kind) {
        Path appHome = ctx.appHome().orElseThrow(() -> new IllegalStateException(
                "cannot tell where spec-kitty is installed; run it through its launcher bin/spec-kitty"));
        return new ServiceInstaller(kind, appHome, ctx.home().root(), userHome(System.getenv()), System.getenv(), CommandRunner.processes());
    }

    /** {@code $HOME} when it is set (as a shell user expects), else the account's home directory. */
    static Path userHome(java.util.Map<String, String> env) {
        String home = env.get("HOME");
        return home != null && home.startsWith("/") ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }

    /** Writes and enables the service. */
    @Command(name = "install",
            description = {"Run the daemon as a per-user service that starts at login and restarts on failure.",
                    "Writes a systemd user unit (Linux) or a launchd agent (macOS), then enables and starts it.",
                    "Safe to run again: an unchanged file is left as it is."})
    public static final class Install extends CliCommand {
        @ArgGroup(exclusive = true)
        KindOption kind;

        @Option(names = "--print", description = "Write the service file that would be installed to stdout, exactly (its path goes to stderr), and change nothing.")
        boolean print;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ServiceKind k = KindOption.resolve(kind);
            ServiceInstaller installer = installer(ctx(), k);
            if (print) {
                // Exactly the file, so `--print > f.plist` is a valid plist; where it would go, on stderr.
                spec.commandLine().getErr().println("Would write " + installer.target());
                spec.commandLine().getErr().flush();
                out.print(installer.render());
                out.flush();
                return 0;
            }
            ServiceInstaller.Outcome outcome = installer.install();
            out.println((outcome.changed() ? "Wrote " : "Unchanged ") + outcome.file());
            java.util.List<java.util.List<String>> activate = k.activate(outcome.file());
            report(spec, outcome, "Enabled and started " + k.fileName(),
                    "The file is in place; enable it yourself with: " + String.join(" ", activate.get(activate.size() - 1)));
            out.println("Inspect it with: " + k.inspectCommand());
            out.flush();
            return 0;
        }
    }

    /** Stops the service and removes its file. */
    @Command(name = "uninstall",
            description = "Stop the daemon's per-user service and remove its file. Queued events stay in queue.db.")
    public static final class Uninstall extends CliCommand {
        @ArgGroup(exclusive = true)
        KindOption kind;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ServiceKind k = KindOption.resolve(kind);
            ServiceInstaller.Outcome outcome = installer(ctx(), k).uninstall();
            if (!outcome.changed()) {
                out.println("Not installed: no " + outcome.file());
                out.flush();
                return 0;
            }
            out.println("Removed " + outcome.file());
            report(spec, outcome, "Stopped and disabled " + k.fileName(), "The file is gone; the service manager may still list it until its next reload.");
            out.flush();
            return 0;
        }
    }

    private static void report(CommandSpec spec, ServiceInstaller.Outcome outcome, String success, String hint) {
        if (outcome.failedCommands().isEmpty()) {
            spec.commandLine().getOut().println(success);
            return;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println("warning: the service manager did not accept every command:");
        outcome.failedCommands().forEach(f -> err.println("  " + f));
        err.println(hint);
        err.flush();
    }
}
