package dev.speckitty.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.speckitty.cli.testing.Cli;
import dev.speckitty.cli.testing.Homes;
import dev.speckitty.protocol.local.SpecKittyHome;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The picocli-free path for the everyday commands: it takes exactly the valid forms, hands every
 * other command line to picocli, and behaves like picocli for the forms it takes (each is compared
 * with the same command line that picocli parses, made so by an end-of-options {@code --}).
 */
@Timeout(60)
class LeanCommandLineTest {
    private static final String PAYLOAD = "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}";

    @TempDir
    Path home;

    private Main main() {
        return new Main(new CliContext(SpecKittyHome.at(home), new PrintStream(PrintStream.nullOutputStream()),
                new PrintStream(PrintStream.nullOutputStream()), InputStream.nullInputStream(), Optional.empty(),
                Optional.empty(), home, Clock.systemUTC()));
    }

    @Test
    void takesTheValidFormsOfTheEverydayCommands() {
        for (String[] args : List.of(
                new String[] {"--version"},
                new String[] {"-V"},
                new String[] {"sync", "status"},
                new String[] {"sync", "status", "--json"},
                new String[] {"sync", "status", "-c", "--json"},
                new String[] {"sync", "status", "--check"},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", PAYLOAD},
                new String[] {"events", "emit", "--payload=" + PAYLOAD, "--aggregate-id=WP01", "WPStatusChanged", "--json"},
                new String[] {"events", "emit", "FeatureCreated", "--aggregate-id", "001", "--aggregate-type", "Feature", "--payload", "{}"})) {
            assertNotNull(LeanCommandLine.match(main(), args), String.join(" ", args));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (String[] args : List.of(
                new String[] {},
                new String[] {"--help"},
                new String[] {"sync"},
                new String[] {"sync", "now"},
                new String[] {"sync", "status", "--help"},
                new String[] {"sync", "status", "-h"},
                new String[] {"sync", "status", "--jsn"},
                new String[] {"sync", "status", "extra"},
                new String[] {"sync", "status", "--json", "--json"},
                new String[] {"sync", "status", "--json=true"},
                new String[] {"sync", "status", "--"},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01"},
                new String[] {"events", "emit", "--aggregate-id", "WP01", "--payload", PAYLOAD},
                new String[] {"events", "emit", "A", "B", "--aggregate-id", "WP01", "--payload", PAYLOAD},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "-x", "--payload", PAYLOAD},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload"},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "a", "--aggregate-id", "b", "--payload", PAYLOAD},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", PAYLOAD, "--verbose"},
                new String[] {"events", "list"},
                new String[] {"--version", "--help"})) {
            assertNull(LeanCommandLine.match(main(), args), String.join(" ", args));
        }
    }

    @Test
    void answersLikePicocliForStatus() {
        Cli cli = new Cli(home);
        Homes.serverUrl(cli.home(), "https://your-server.example.com");
        for (String[] args : List.of(new String[] {"sync", "status"}, new String[] {"sync", "status", "--json"})) {
            Cli.Result lean = cli.run(args);
            Cli.Result picocli = cli.run(withEndOfOptions(args));
            assertEquals(picocli.toString(), lean.toString());
        }
        assertEquals(cli.run("--version", "--").toString(), cli.run("--version").toString());
    }

    @Test
    void answersLikePicocliForEmitIncludingItsErrors() {
        Cli cli = new Cli(home);
        for (String[] args : List.of(
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", PAYLOAD},
                new String[] {"events", "emit", "NoSuchType", "--aggregate-id", "WP01", "--payload", PAYLOAD},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "{not json"},
                new String[] {"events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "{}"})) {
            Cli.Result lean = cli.run(args);
            Cli.Result picocli = cli.run(withEndOfOptions(args));
            assertEquals(picocli.exit(), lean.exit(), lean + "\n" + picocli);
            assertEquals(withoutIds(picocli.out()), withoutIds(lean.out()));
            assertEquals(picocli.err(), lean.err());
        }
    }

    /** The same command line, but one only picocli parses: the TYPE moved after {@code --}. */
    private static String[] withEndOfOptions(String[] args) {
        List<String> out = new ArrayList<>(Arrays.asList(args));
        if (args[0].equals("events")) {
            String type = out.remove(2);
            out.add("--");
            out.add(type);
        } else {
            out.add("--");
        }
        return out.toArray(String[]::new);
    }

    /** Event ids and queue depths differ between two runs that each queue an event. */
    private static String withoutIds(String out) {
        return out.replaceAll("[0-9A-HJKMNP-TV-Z]{26}", "ULID").replaceAll("\\(\\d+ in the queue", "(N in the queue");
    }
}
