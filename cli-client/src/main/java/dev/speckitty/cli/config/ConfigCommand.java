package dev.speckitty.cli.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.GroupCommand;
import dev.speckitty.cli.help.Suggestions;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty config get|set|unset|list}: reads and edits {@code config.toml}, keeping the rest of the file. */
@Command(name = "config",
        description = "Read or change the settings in SPEC_KITTY_HOME/config.toml (comments and other keys are kept).")
public final class ConfigCommand extends GroupCommand {

    /** Candidates for KEY, for help text and shell completion. */
    static final class Keys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ConfigKey.dottedNames().iterator();
        }
    }

    static ConfigKey key(String dotted) {
        return ConfigKey.fromDotted(dotted).orElseThrow(() -> {
            List<String> near = Suggestions.closest(dotted, ConfigKey.dottedNames());
            return CliException.usage("unknown setting '" + dotted + "'"
                    + (near.isEmpty() ? "" : "; did you mean " + near.get(0) + "?")
                    + " (expected one of: " + String.join(", ", ConfigKey.dottedNames()) + ")");
        });
    }

    /** One setting as {@code config get --json} and {@code config list --json} show it; {@code source} is {@code file}, {@code default} or {@code unset}. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record View(String key, String value, String source, String file) {
        static View of(CliContext ctx, ConfigKey k) {
            Optional<String> value = ConfigFile.get(ctx.home().config(), k);
            String file = ctx.home().config().toString();
            if (value.isPresent()) {
                return new View(k.dotted(), value.get(), "file", file);
            }
            return k.defaultText().map(d -> new View(k.dotted(), d, "default", file))
                    .orElseGet(() -> new View(k.dotted(), null, "unset", file));
        }
    }

    /** {@code config get KEY}. */
    @Command(name = "get", description = {"Print the value of KEY: as written in config.toml, else its default.",
            "Exits 1 only for a key with no value and no default (sync.server_url before it is set)."})
    public static final class Get extends CliCommand {
        @Parameters(index = "0", paramLabel = "KEY", completionCandidates = Keys.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String key;

        @Option(names = "--json", description = "Print {key, value, source, file} as JSON (source: file, default or unset; exit 0).")
        boolean json;

        @Override
        public Integer call() {
            CliContext ctx = ctx();
            View v = View.of(ctx, key(key));
            if (json) {
                ctx.out().println(Json.write(v));
                return ExitCodes.OK;
            }
            if (v.value() == null) {
                ctx.err().println(v.key() + " is not set in " + ctx.home().config() + " and has no default; set it with"
                        + " `spec-kitty config set " + v.key() + " https://your-server.example.com`");
                return ExitCodes.FAILURE;
            }
            ctx.out().println(v.value());
            return ExitCodes.OK;
        }
    }

    /** {@code config set KEY VALUE}. */
    @Command(name = "set", description = {"Set KEY to VALUE in config.toml, creating the file if needed.",
            "The value is checked with the same rule the daemon and the commands read it with; a bad one changes nothing."})
    public static final class Set extends CliCommand {
        @Parameters(index = "0", paramLabel = "KEY", completionCandidates = Keys.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The new value.")
        String value;

        @Override
        public Integer call() {
            CliContext ctx = ctx();
            ConfigKey k = key(key);
            try {
                ConfigFile.set(ctx.home().config(), k, value);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage() + "; nothing was changed");
            }
            ctx.out().println("Set " + k.dotted() + " = " + ConfigFile.get(ctx.home().config(), k).orElse(value)
                    + " in " + ctx.home().config());
            if (k == ConfigKey.SERVER_URL) {
                ctx.out().println("Next: `spec-kitty auth login`, then `spec-kitty sync status --check`"
                        + " (a running daemon picks the change up at once; the saved tokens are never sent to another server)");
            }
            return ExitCodes.OK;
        }
    }

    /** {@code config unset KEY}. */
    @Command(name = "unset", description = "Remove KEY from config.toml, so that its default applies again. Not set is not an error.")
    public static final class Unset extends CliCommand {
        @Parameters(index = "0", paramLabel = "KEY", completionCandidates = Keys.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String key;

        @Override
        public Integer call() {
            CliContext ctx = ctx();
            ConfigKey k = key(key);
            boolean removed = ConfigFile.unset(ctx.home().config(), k);
            String now = k.defaultText().map(d -> "; the default " + d + " applies").orElse("");
            ctx.out().println((removed ? "Removed " + k.dotted() + " from " : k.dotted() + " was not set in ") + ctx.home().config() + now);
            return ExitCodes.OK;
        }
    }

    /** {@code config list}. */
    @Command(name = "list", description = "List every setting with its value and where it comes from (config.toml or the default).")
    public static final class ListKeys extends CliCommand {
        @Option(names = "--json", description = "Print a JSON array of {key, value, source, file}.")
        boolean json;

        @Override
        public Integer call() {
            CliContext ctx = ctx();
            List<View> views = new ArrayList<>();
            for (ConfigKey k : ConfigKey.values()) {
                views.add(View.of(ctx, k));
            }
            if (json) {
                ctx.out().println(Json.write(views));
                return ExitCodes.OK;
            }
            int keyWidth = views.stream().mapToInt(v -> v.key().length()).max().orElse(3);
            int valueWidth = Math.max(5, views.stream().mapToInt(v -> v.value() == null ? 9 : v.value().length()).max().orElse(5));
            String format = "%-" + keyWidth + "s  %-" + valueWidth + "s  %s%n";
            ctx.out().printf(format, "KEY", "VALUE", "SOURCE");
            for (View v : views) {
                ctx.out().printf(format, v.key(), v.value() == null ? "(not set)" : v.value(), switch (v.source()) {
                    case "file" -> ctx.home().config().toString();
                    case "default" -> "default";
                    default -> "-";
                });
            }
            return ExitCodes.OK;
        }
    }
}
