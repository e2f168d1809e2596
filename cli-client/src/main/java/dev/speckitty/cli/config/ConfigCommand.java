package dev.speckitty.cli.config;

import dev.speckitty.cli.CliCommand;
import dev.speckitty.cli.CliContext;
import dev.speckitty.cli.CliException;
import dev.speckitty.cli.ExitCodes;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.local.ConfigFile;
import dev.speckitty.protocol.local.ConfigKey;
import java.util.Iterator;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code spec-kitty config get|set KEY [VALUE]}: reads and edits one key of {@code config.toml}, keeping the rest of the file. */
@Command(name = "config",
        description = "Read or change one setting in SPEC_KITTY_HOME/config.toml (comments and other keys are kept).")
public final class ConfigCommand {

    /** Candidates for KEY, for help text and shell completion. */
    static final class Keys implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return ConfigKey.dottedNames().iterator();
        }
    }

    static ConfigKey key(String dotted) {
        return ConfigKey.fromDotted(dotted).orElseThrow(() -> CliException.usage(
                "unknown setting '" + dotted + "' (expected one of: " + String.join(", ", ConfigKey.dottedNames()) + ")"));
    }

    /** {@code config get KEY}. */
    @Command(name = "get", description = {"Print the value of KEY as written in config.toml.", "Exits 1 when KEY is not set."})
    public static final class Get extends CliCommand {
        @Parameters(index = "0", paramLabel = "KEY", completionCandidates = Keys.class,
                description = "One of: ${COMPLETION-CANDIDATES}")
        String key;

        @Option(names = "--json", description = "Print {key, value, file} as JSON (value null when not set; exit 0).")
        boolean json;

        /** {@code config get --json}. */
        @JsonInclude(JsonInclude.Include.ALWAYS)
        record View(String key, String value, String file) {
        }

        @Override
        public Integer call() {
            CliContext ctx = ctx();
            ConfigKey k = key(key);
            Optional<String> value = ConfigFile.get(ctx.home().config(), k);
            if (json) {
                ctx.out().println(Json.write(new View(k.dotted(), value.orElse(null), ctx.home().config().toString())));
                return ExitCodes.OK;
            }
            if (value.isEmpty()) {
                ctx.err().println(k.dotted() + " is not set in " + ctx.home().config() + " (" + k.description() + ")");
                return ExitCodes.FAILURE;
            }
            ctx.out().println(value.get());
            return ExitCodes.OK;
        }
    }

    /** {@code config set KEY VALUE}. */
    @Command(name = "set", description = "Set KEY to VALUE in config.toml, creating the file if needed. The value is checked first.")
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
                throw CliException.usage(e.getMessage());
            }
            ctx.out().println("Set " + k.dotted() + " = " + ConfigFile.get(ctx.home().config(), k).orElse(value)
                    + " in " + ctx.home().config());
            if (k == ConfigKey.SERVER_URL) {
                ctx.out().println("Next: `spec-kitty auth login`, then `spec-kitty sync status --check`"
                        + " (a running daemon picks the change up after `spec-kitty daemon restart`)");
            }
            return ExitCodes.OK;
        }
    }
}
