package dev.speckitty.cli.service;

import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code spec-kitty daemon install|uninstall}: the daemon as a per-user systemd or launchd service. */
public final class ServiceCommands {
    private ServiceCommands() {
    }

    /** Chooses the service manager; by default the one of this operating system. */
    static final class KindOption {
        @Option(names = "--systemd", description = "Install a systemd user unit (Linux default).")
        boolean systemd;

        @Option(names = "--launchd", description = "Install a launchd agent (macOS default).")
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

    static ServiceInstaller installer(ServiceKind kind) {
        String appHome = System.getProperty("spec-kitty.app-home");
        if (appHome == null) {
            throw new IllegalStateException("cannot tell where spec-kitty is installed; run it through its launcher bin/spec-kitty");
        }
        return new ServiceInstaller(kind, Path.of(appHome), SpecKittyHome.fromEnvironment().root(),
                Path.of(System.getProperty("user.home")), System.getenv(), CommandRunner.processes());
    }

    /** Writes and enables the service. */
    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Run the daemon as a per-user service that starts at login and restarts on failure.",
                    "Writes a systemd user unit (Linux) or a launchd agent (macOS), then enables and starts it.",
                    "Safe to run again: an unchanged file is left as it is."})
    public static final class Install implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        KindOption kind;

        @Option(names = "--print", description = "Show the service file that would be written, and change nothing.")
        boolean print;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ServiceKind k = KindOption.resolve(kind);
            ServiceInstaller installer = installer(k);
            if (print) {
                out.println("# " + installer.target());
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
    @Command(name = "uninstall", mixinStandardHelpOptions = true,
            description = "Stop the daemon's per-user service and remove its file. Queued events stay in queue.db.")
    public static final class Uninstall implements Callable<Integer> {
        @ArgGroup(exclusive = true)
        KindOption kind;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            ServiceKind k = KindOption.resolve(kind);
            ServiceInstaller.Outcome outcome = installer(k).uninstall();
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
