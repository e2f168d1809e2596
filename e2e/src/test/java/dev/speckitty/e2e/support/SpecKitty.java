package dev.speckitty.e2e.support;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real {@code bin/spec-kitty} launcher of the unpacked distribution as a subprocess, with
 * {@code SPEC_KITTY_HOME} pointing at a test directory. Every run is bounded in time.
 */
public final class SpecKitty {
    /** One run's exit code and output streams. */
    public record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path dist;
    private final Path home;
    private final Map<String, String> environment = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile String umask;

    public SpecKitty(Path home) {
        this.dist = Path.of(System.getProperty("spec-kitty.dist", "../packaging/target/spec-kitty")).toAbsolutePath().normalize();
        assertTrue(Files.isExecutable(dist.resolve("bin/spec-kitty")),
                "no distribution at " + dist + "; build it first with `mvn -B -DskipTests package`");
        this.home = home;
    }

    public Path dist() {
        return dist;
    }

    public Path home() {
        return home;
    }

    /** Runs every later command (and a daemon it starts) under this umask, e.g. {@code 000}; null: the test's own. */
    public void umask(String mask) {
        this.umask = mask;
    }

    /** Variables every later run (and a daemon it starts) gets on top of the test's own environment. */
    public Map<String, String> environment() {
        return environment;
    }

    public Run run(String... args) {
        return runWithInput("", Map.of(), args);
    }

    public Run runWithInput(String stdin, String... args) {
        return runWithInput(stdin, Map.of(), args);
    }

    public Run runWithInput(String stdin, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        if (umask != null) {
            cmd.addAll(List.of("/bin/sh", "-c", "umask " + umask + " && exec \"$0\" \"$@\""));
        }
        cmd.add(dist.resolve("bin/spec-kitty").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workingDirectory());
        pb.environment().put("SPEC_KITTY_HOME", home.toString());
        pb.environment().putAll(environment);
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the command may not read stdin at all and exit first
            }
            if (!p.waitFor(90, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("spec-kitty " + String.join(" ", args) + " did not finish within 90 s");
            }
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot run spec-kitty " + String.join(" ", args) + ": " + e, e);
        }
    }

    /**
     * Runs the launcher on a pseudo-terminal ({@code script -qec} from util-linux), as a person at a
     * terminal would, with {@code env} added; stdout and stderr arrive mixed, as on a screen.
     * {@code timeoutSeconds} > 0 stops a command that runs until interrupted ({@code --watch}) with
     * SIGINT after that long, as Ctrl-C would.
     */
    public Run onTerminal(Map<String, String> env, int timeoutSeconds, String... args) {
        StringBuilder line = new StringBuilder(quote(dist.resolve("bin/spec-kitty").toString()));
        for (String a : args) {
            line.append(' ').append(quote(a));
        }
        String command = timeoutSeconds > 0 ? "timeout -s INT " + timeoutSeconds + " " + line : line.toString();
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", command, "/dev/null").directory(workingDirectory());
        pb.environment().put("SPEC_KITTY_HOME", home.toString());
        pb.environment().put("TERM", "xterm");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("spec-kitty " + String.join(" ", args) + " on a terminal did not finish within 120 s");
            }
            return new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS).replace("\r\n", "\n"), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            throw new AssertionError("cannot run spec-kitty " + String.join(" ", args) + " under script: " + e, e);
        }
    }

    /** Whether {@code script} (util-linux) is there to give a command a terminal. */
    public static boolean terminalAvailable() {
        return Files.isExecutable(Path.of("/usr/bin/script")) || Files.isExecutable(Path.of("/bin/script"));
    }

    /** The home, or its parent while the home does not exist (tests of commands that must not create it). */
    private java.io.File workingDirectory() {
        return (Files.isDirectory(home) ? home : home.getParent()).toFile();
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread t = new Thread(() -> { // its own thread: the common pool may have a single worker on 2 CPUs
            try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("<unreadable: " + e + ">");
            }
        }, "spec-kitty-output");
        t.setDaemon(true);
        t.start();
        return text;
    }
}
