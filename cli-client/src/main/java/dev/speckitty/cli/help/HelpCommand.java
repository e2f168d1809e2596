package dev.speckitty.cli.help;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code spec-kitty help [COMMAND...]}: the help page of a command at any depth ({@code help sync now}),
 * where picocli's own help command only looks one level down. An unknown name is a usage error
 * with suggestions, as on the command line itself.
 */
@Command(name = "help", helpCommand = true,
        description = "Show the help of a command, e.g. `spec-kitty help sync now`.")
public final class HelpCommand implements Runnable, CommandLine.IHelpCommandInitializable2 {
    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command to describe, e.g. sync now.")
    List<String> words = new ArrayList<>();

    @Spec
    CommandSpec spec;

    private CommandLine.Help.ColorScheme colorScheme;
    private java.io.PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, CommandLine.Help.ColorScheme colorScheme, java.io.PrintWriter out,
                     java.io.PrintWriter err) {
        this.colorScheme = colorScheme;
        this.out = out;
    }

    @Override
    public void run() {
        CommandLine target = spec.commandLine().getParent();
        for (int i = 0; i < words.size(); i++) {
            CommandLine next = target.getSubcommands().get(words.get(i));
            if (next == null) {
                throw new CommandLine.UnmatchedArgumentException(target, words.subList(i, words.size()));
            }
            target = next;
        }
        target.usage(out, colorScheme);
        out.flush();
    }
}
