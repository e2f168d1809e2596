package dev.speckitty.cli.help;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns picocli's parse errors into what a gh or kubectl user reads: one {@code error:} line naming
 * the word that was not understood, the nearest commands or options ("did you mean `sync now`?"),
 * and where to look next. Never the whole usage page. Stateless.
 */
public final class UsageErrors {
    private UsageErrors() {
    }

    /** Prints the message for {@code e} on {@code err}; answers the usage exit code. */
    public static int print(ParameterException e, PrintWriter err, int exitCode) {
        CommandLine cmd = e.getCommandLine();
        String path = cmd.getCommandSpec().qualifiedName();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String word = u.getUnmatched().get(0);
            if (!word.startsWith("-") && !cmd.getSubcommands().isEmpty()) {
                unknownCommand(cmd, word, u.getUnmatched(), err);
            } else if (word.startsWith("-")) {
                err.println("error: unknown option '" + word + "' for `" + path + "`");
                List<String> options = new ArrayList<>();
                cmd.getCommandSpec().options().forEach(o -> options.addAll(List.of(o.names())));
                didYouMean(Suggestions.closest(word.replaceFirst("=.*", ""), options), err);
                err.println("Run `" + path + " --help` for its options.");
            } else {
                err.println("error: unexpected argument '" + word + "' for `" + path + "`");
                err.println("Run `" + path + " --help` for its usage.");
            }
        } else {
            err.println("error: " + lowerFirst(e.getMessage()) + " (in `" + path + "`)");
            err.println("Usage: " + synopsis(cmd.getCommandSpec()));
            err.println("Run `" + path + " --help` for more.");
        }
        err.flush();
        return exitCode;
    }

    private static void unknownCommand(CommandLine cmd, String word, List<String> rest, PrintWriter err) {
        String path = cmd.getCommandSpec().qualifiedName();
        err.println("error: unknown command '" + word + "' for `" + path + "`");
        List<String> suggestions = new ArrayList<>();
        for (String name : Suggestions.closest(word, cmd.getSubcommands().keySet())) {
            // `snyc now`: suggest the whole command when the next word names one of its subcommands.
            CommandLine sub = cmd.getSubcommands().get(name);
            Map<String, CommandLine> grandChildren = sub.getSubcommands();
            if (rest.size() > 1 && grandChildren.containsKey(rest.get(1))) {
                suggestions.add(name + " " + rest.get(1));
            } else if (rest.size() > 1 && !grandChildren.isEmpty()) {
                List<String> inner = Suggestions.closest(rest.get(1), grandChildren.keySet());
                suggestions.add(inner.isEmpty() ? name : name + " " + inner.get(0));
            } else {
                suggestions.add(name);
            }
        }
        didYouMean(suggestions.stream().map(s -> commandPrefix(cmd) + s).toList(), err);
        err.println("Run `" + path + " --help` for the list of commands.");
    }

    private static String commandPrefix(CommandLine cmd) {
        return cmd.getCommandSpec().qualifiedName() + " ";
    }

    private static void didYouMean(List<String> suggestions, PrintWriter err) {
        if (suggestions.isEmpty()) {
            return;
        }
        List<String> quoted = suggestions.stream().limit(3).map(s -> "`" + s + "`").toList();
        err.println("Did you mean " + String.join(" or ", quoted) + "?");
    }

    private static String synopsis(CommandSpec spec) {
        return new CommandLine.Help(spec, CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF)).synopsis(0).trim();
    }

    private static String lowerFirst(String message) {
        if (message == null || message.isEmpty()) {
            return "bad arguments";
        }
        // picocli's messages start with a capital ("Missing required option: ..."); ours are lower case.
        return message.length() > 1 && Character.isUpperCase(message.charAt(0)) && Character.isLowerCase(message.charAt(1))
                ? Character.toLowerCase(message.charAt(0)) + message.substring(1) : message;
    }
}
