package dev.speckitty.server;

import dev.speckitty.protocol.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spec-kitty-server} command: runs the reference team server and manages its users. */
@Command(name = "spec-kitty-server",
        mixinStandardHelpOptions = true,
        versionProvider = Main.VersionProvider.class,
        description = "The spec-kitty reference team server.",
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
            return new String[] {"spec-kitty-server " + Version.current()};
        }
    }
}
