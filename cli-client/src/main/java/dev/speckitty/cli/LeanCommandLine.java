package dev.speckitty.cli;

import dev.speckitty.cli.events.EventsEmitCommand;
import dev.speckitty.cli.sync.SyncStatusCommand;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The everyday command lines, run without picocli: building picocli's command model costs several
 * times what these commands do themselves (docs/benchmarks/cli.md). It recognises only the exact,
 * valid forms of {@code --version}, {@code sync status [-c|--check] [--json]} and
 * {@code events emit TYPE --aggregate-id ID [--aggregate-type T] --payload JSON [--json]}, and runs
 * the same command classes picocli would. Anything else (help, a typo, a missing or repeated option,
 * a value that looks like an option, {@code --}) is not matched and goes to picocli, which owns
 * every usage message. Stateless.
 */
final class LeanCommandLine {
    private LeanCommandLine() {
    }

    /** The command {@code args} name, bound to {@code main}, or null when picocli should parse them. */
    static Callable<Integer> match(Main main, String... args) {
        // Plain code, no lambdas: the first lambda of a process costs ~10 ms of method-handle set-up.
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return new Version(main);
        }
        if (args.length < 2) {
            return null;
        }
        String command = args[0] + " " + args[1];
        if (command.equals("sync status")) {
            Options o = Options.parse(args, Map.of("-c", "--check", "--check", "--check", "--json", "--json"), Map.of());
            return o == null || !o.positionals.isEmpty() ? null
                    : bind(SyncStatusCommand.of(o.flag("--check"), o.flag("--json")), main);
        }
        if (command.equals("events emit")) {
            Options o = Options.parse(args, Map.of("--json", "--json"), Map.of("--aggregate-id", "--aggregate-id",
                    "--aggregate-type", "--aggregate-type", "--payload", "--payload"));
            return o == null || o.positionals.size() != 1 || !o.flag("--aggregate-id") || !o.flag("--payload") ? null
                    : bind(EventsEmitCommand.of(o.positionals.get(0), o.values.get("--aggregate-id"),
                            o.values.get("--aggregate-type"), o.values.get("--payload"), o.flag("--json")), main);
        }
        return null;
    }

    private static Callable<Integer> bind(CliCommand command, Main main) {
        return command.boundTo(main);
    }

    /** {@code --version}. */
    private static final class Version implements Callable<Integer> {
        private final Main main;

        Version(Main main) {
            this.main = main;
        }

        @Override
        public Integer call() {
            return main.printVersion();
        }
    }

    /** The options and positional words after the two command words. */
    private static final class Options {
        final Map<String, String> values = new HashMap<>();
        final List<String> positionals = new ArrayList<>();

        boolean flag(String name) {
            return values.containsKey(name);
        }

        /**
         * Parses {@code args[2..]} given each accepted name mapped to its canonical name, for flags
         * and for options that take a value ({@code --name value} or {@code --name=value}); null
         * when anything is not one of those.
         */
        static Options parse(String[] args, Map<String, String> flags, Map<String, String> valued) {
            Options o = new Options();
            for (int i = 2; i < args.length; i++) {
                String arg = args[i];
                if (!arg.startsWith("-")) {
                    o.positionals.add(arg);
                    continue;
                }
                int eq = arg.indexOf('=');
                String name = arg.startsWith("--") && eq > 0 ? arg.substring(0, eq) : arg;
                String value;
                if (flags.containsKey(name) && name.equals(arg)) {
                    name = flags.get(name);
                    value = "";
                } else if (valued.containsKey(name)) {
                    if (name.equals(arg)) {
                        if (i + 1 == args.length || args[i + 1].startsWith("-")) {
                            return null;
                        }
                        value = args[++i];
                    } else {
                        value = arg.substring(eq + 1);
                    }
                    name = valued.get(name);
                } else {
                    return null;
                }
                if (o.values.putIfAbsent(name, value) != null) {
                    return null;
                }
            }
            return o;
        }
    }
}
