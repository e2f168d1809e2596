package dev.speckitty.cli;

import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

/**
 * Everything a command touches outside itself: the home, the standard streams, the console (absent
 * when not on a terminal), the install directory, the working directory and the clock. Tests build
 * one over temp dirs and byte streams; {@link #system()} is the real process. Immutable.
 */
public record CliContext(
        SpecKittyHome home,
        PrintStream out,
        PrintStream err,
        InputStream in,
        Optional<Console> console,
        Optional<Path> appHome,
        Path cwd,
        Clock clock) {

    /** The system property the launcher sets to the install directory. */
    public static final String APP_HOME_PROPERTY = "spec-kitty.app-home";

    /** The real process: environment, standard streams, {@code System.console()}. */
    public static CliContext system() {
        String appHome = System.getProperty(APP_HOME_PROPERTY);
        return new CliContext(
                SpecKittyHome.fromEnvironment(),
                System.out,
                System.err,
                System.in,
                terminal(),
                appHome == null || appHome.isBlank() ? Optional.empty() : Optional.of(Path.of(appHome)),
                Path.of("").toAbsolutePath(),
                Clock.systemUTC());
    }

    /**
     * {@code System.console()} when the process is on a terminal. JDKs 22 to 24 return a console
     * even when the streams are redirected (25 went back to null); {@code Console.isTerminal()}
     * (22+, so called reflectively from this Java 17 code) then tells whether a person is at it.
     */
    static Optional<Console> terminal() {
        Console console = System.console();
        if (console == null || Runtime.version().feature() < 22) {
            return Optional.ofNullable(console);
        }
        try {
            return Boolean.TRUE.equals(Console.class.getMethod("isTerminal").invoke(console)) ? Optional.of(console) : Optional.empty();
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }

    /** This context on another home ({@code --home DIR}). */
    public CliContext withHome(SpecKittyHome other) {
        return new CliContext(other, out, err, in, console, appHome, cwd, clock);
    }

    /** Whether stdout/stderr go to a person at a terminal (progress bars, prompts). */
    public boolean interactive() {
        return console.isPresent();
    }
}
