package dev.speckitty.cli;

import dev.speckitty.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spec-kitty} command: parses arguments and dispatches to a subcommand. */
@Command(name = "spec-kitty",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "Spec-driven development with offline-first team sync.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Prints the product version for {@code --version}. */
    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"spec-kitty " + Version.current()};
        }
    }
}
