package dev.speckitty.server;

import dev.speckitty.protocol.Version;
import dev.speckitty.server.cli.Io;
import dev.speckitty.server.cli.RunCommand;
import dev.speckitty.server.cli.ServerLogging;
import dev.speckitty.server.cli.UserCommands;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code spec-kitty-server} command: runs the reference team server and manages its users.
 * Exit codes: 0 success, 1 failure (cannot bind, database error, unknown user…), 2 usage error.
 */
@Command(name = "spec-kitty-server",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "The spec-kitty reference team server.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        ServerLogging.toStderr(args.length > 0 && args[0].equals("run"));
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(args, System.in, out, err));
    }

    /** Runs one command line with the given streams; returns the exit code. */
    public static int execute(String[] args, InputStream in, PrintWriter out, PrintWriter err) {
        Io io = new Io(in, out, err);
        CommandLine cli = new CommandLine(new Main());
        cli.addSubcommand("run", new RunCommand(io));
        cli.addSubcommand("user", UserCommands.commandLine(io));
        cli.registerConverter(java.time.Duration.class, new dev.speckitty.server.cli.DurationConverter());
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? "no details" : e.getMessage();
            // No Java type names: a wrapped exception's "java.io.IOException: …" prefix is dropped.
            commandLine.getErr().println("error: " + dev.speckitty.protocol.Printable.withoutJavaTypes(message));
            if (System.getenv("SPEC_KITTY_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            }
            return 1;
        });
        return cli.execute(args);
    }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** {@code spec-kitty-server} alone: the help page with its commands. */
    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Prints the product version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spec-kitty-server " + Version.current()};
        }
    }
}
