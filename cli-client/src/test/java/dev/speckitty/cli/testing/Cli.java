package dev.speckitty.cli.testing;

import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.Main;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/** Runs the CLI in-process against a temp home with captured streams and a fixed clock. */
public final class Cli {
    /** One run's exit code and output. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    private final Path home;
    private Optional<Path> appHome = Optional.empty();
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    public Cli(Path home) {
        this.home = home;
    }

    public SpecKittyHome home() {
        return SpecKittyHome.at(home);
    }

    public Cli clock(Clock c) {
        this.clock = c;
        return this;
    }

    public Cli appHome(Path p) {
        this.appHome = Optional.of(p);
        return this;
    }

    public Result run(String... args) {
        return runWithInput("", args);
    }

    public Result runWithInput(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(home(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), Optional.empty(), appHome, home, clock);
        int exit = Main.execute(ctx, args);
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
