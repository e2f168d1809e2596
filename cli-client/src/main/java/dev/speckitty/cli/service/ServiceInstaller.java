package dev.speckitty.cli.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders the daemon's service file from the distribution's template and installs or removes it.
 * Stateless apart from its inputs; commands run through the given {@link CommandRunner}.
 */
public final class ServiceInstaller {
    private final ServiceKind kind;
    private final Path appHome;
    private final Path specKittyHome;
    private final Path userHome;
    private final Map<String, String> env;
    private final CommandRunner runner;

    public ServiceInstaller(ServiceKind kind, Path appHome, Path specKittyHome, Path userHome,
            Map<String, String> env, CommandRunner runner) {
        this.kind = kind;
        this.appHome = appHome;
        this.specKittyHome = specKittyHome;
        this.userHome = userHome;
        this.env = env;
        this.runner = runner;
    }

    /** Where the service file goes. */
    public Path target() {
        return kind.directory(userHome, env).resolve(kind.fileName());
    }

    /** The service file's contents for this installation. */
    public String render() {
        Path template = appHome.resolve("service").resolve(kind.fileName());
        String text;
        try {
            text = Files.readString(template);
        } catch (NoSuchFileException e) {
            throw new IllegalStateException("no service template at " + template
                    + "; run spec-kitty from its distribution (bin/spec-kitty) so it can find service/");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + template + ": " + e.getMessage(), e);
        }
        return text.replace("@LAUNCHER@", kind.escape(appHome.resolve("bin/spec-kitty").toString()))
                .replace("@SPEC_KITTY_HOME@", kind.escape(specKittyHome.toString()));
    }

    /** Writes the file (unchanged content is left alone) and activates the service; returns what happened. */
    public Outcome install() {
        String content = render();
        Path target = target();
        try {
            boolean changed = !Files.exists(target) || !Files.readString(target).equals(content);
            if (changed) {
                Files.createDirectories(target.getParent());
                Files.createDirectories(specKittyHome.resolve("logs"));
                Files.writeString(target, content);
            }
            return new Outcome(target, changed, runAll(kind.activate(target)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Deactivates the service and removes its file; a missing file is not an error. */
    public Outcome uninstall() {
        Path target = target();
        if (!Files.exists(target)) {
            return new Outcome(target, false, List.of());
        }
        List<String> failures = runAll(kind.deactivate(target));
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + target + ": " + e.getMessage(), e);
        }
        if (kind == ServiceKind.SYSTEMD) {
            failures.addAll(runAll(List.of(List.of("systemctl", "--user", "daemon-reload"))));
        }
        return new Outcome(target, true, failures);
    }

    /** Whether the service file is installed. */
    public boolean installed() {
        return Files.exists(target());
    }

    private List<String> runAll(List<List<String>> commands) {
        List<String> failures = new ArrayList<>();
        for (List<String> command : commands) {
            runner.run(command).ifPresent(problem -> failures.add(String.join(" ", command) + ": " + problem));
        }
        return failures;
    }

    /** The file touched, whether it changed, and the service-manager commands that failed (with why). */
    public record Outcome(Path file, boolean changed, List<String> failedCommands) {
    }
}
