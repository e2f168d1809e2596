package dev.speckitty.e2e.cli;

import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with no server and no daemon: configuration, bad input, malformed files, help
 * and exit codes. Each case is one JVM start, so this class stays small.
 */
@Timeout(120)
class OfflineCliTest {
    @TempDir
    Path home;

    @Test
    void statusWithNothingConfiguredAndThenWithAServerUrl() {
        SpecKitty sk = new SpecKitty(home);
        SpecKitty.Run empty = sk.run("sync", "status");
        assertEquals(0, empty.exit(), empty.toString());
        assertTrue(empty.out().startsWith("Spec Kitty Sync Status\nServer URL    Not configured\n"), empty.out());

        SpecKitty.Run set = sk.run("config", "set", "sync.server_url", "https://your-server.example.com");
        assertEquals(0, set.exit(), set.toString());
        SpecKitty.Run status = sk.run("sync", "status");
        assertTrue(status.out().startsWith("Spec Kitty Sync Status\n"
                + "Server URL    https://your-server.example.com\n"
                + "Config File   " + home.resolve("config.toml") + "\n"
                + "Connection    Not checked (use --check to test)\n"), status.out());
        assertTrue(status.out().contains("Daemon        Not running"), status.out());
        assertEquals("https://your-server.example.com\n", sk.run("config", "get", "sync.server_url").out());
    }

    @Test
    void badInputExitsTwoAndQueuesNothing() {
        SpecKitty sk = new SpecKitty(home);
        SpecKitty.Run unknownType = sk.run("events", "emit", "WPExploded", "--aggregate-id", "WP01", "--payload", "{}");
        assertEquals(2, unknownType.exit(), unknownType.toString());
        assertTrue(unknownType.err().contains("unknown event type 'WPExploded'"), unknownType.err());

        SpecKitty.Run badJson = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload", "{\"wp_id\":");
        assertEquals(2, badJson.exit(), badJson.toString());
        assertTrue(badJson.err().contains("--payload is not valid JSON"), badJson.err());

        SpecKitty.Run invalid = sk.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01",
                "--payload", "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"nowhere\"}");
        assertEquals(2, invalid.exit(), invalid.toString());
        assertTrue(invalid.err().contains("payload.to_lane"), invalid.err());

        SpecKitty.Run badFlag = sk.run("sync", "now", "--frobnicate");
        assertEquals(2, badFlag.exit(), badFlag.toString());
        assertTrue(badFlag.err().contains("error: unknown option '--frobnicate' for `spec-kitty sync now`"), badFlag.err());
        assertFalse(Files.exists(home.resolve("queue.db")), "nothing was queued");
    }

    @Test
    void missingConfigMalformedConfigAndNoCredentialsSayWhatToDo() throws Exception {
        SpecKitty sk = new SpecKitty(home);
        SpecKitty.Run noConfig = sk.run("sync", "now");
        assertEquals(1, noConfig.exit(), noConfig.toString());
        assertTrue(noConfig.err().contains("spec-kitty config set sync.server_url"), noConfig.err());

        Files.writeString(home.resolve("config.toml"), "[sync]\nserver_url = \"https://x.example.com\"\n");
        SpecKitty.Run noCreds = sk.run("sync", "now");
        assertEquals(4, noCreds.exit(), noCreds.toString());
        assertTrue(noCreds.err().contains("spec-kitty auth login"), noCreds.err());
        SpecKitty.Run authStatus = sk.run("auth", "status");
        assertEquals(4, authStatus.exit(), authStatus.toString());

        // Piped streams are no terminal: no prompt, a usage error that says how to pass them. Also on a
        // JDK 22+ when one is installed (JAVA_HOME picks the launcher's runtime): JDKs 22 to 24 give
        // a System.console() even when the streams are redirected.
        List<Map<String, String>> runtimes = new ArrayList<>(List.of(Map.of()));
        newerJdk().ifPresent(jdk -> runtimes.add(Map.of("JAVA_HOME", jdk.toString())));
        for (Map<String, String> runtime : runtimes) {
            SpecKitty.Run noUser = sk.runWithInput("ada\n", runtime, "auth", "login");
            assertEquals(2, noUser.exit(), runtime + " " + noUser);
            assertTrue(noUser.err().contains("pass --username U"), noUser.err());
            SpecKitty.Run noPassword = sk.runWithInput("secret\n", runtime, "auth", "login", "--username", "ada");
            assertEquals(2, noPassword.exit(), runtime + " " + noPassword);
            assertTrue(noPassword.err().contains("--password-stdin"), noPassword.err());
        }

        Files.writeString(home.resolve("config.toml"), "[sync]\nserver_url = \"https://x.example.com\nwebsocket = true\n");
        SpecKitty.Run malformed = sk.run("sync", "status");
        assertEquals(1, malformed.exit(), malformed.toString());
        assertTrue(malformed.err().contains(home.resolve("config.toml") + ":2:"), malformed.err());
    }

    @Test
    void helpVersionAndCompletion() {
        SpecKitty sk = new SpecKitty(home);
        SpecKitty.Run help = sk.run("--help");
        assertEquals(0, help.exit(), help.toString());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("3   team server unreachable"), help.out());
        SpecKitty.Run bash = sk.run("completion", "bash");
        assertEquals(0, bash.exit(), bash.toString());
        assertTrue(bash.out().contains("complete -F _complete_spec-kitty"), bash.out());
        SpecKitty.Run zsh = sk.run("completion", "zsh");
        assertTrue(zsh.out().contains("bashcompinit"), zsh.out());
    }

    /** A JDK 22 or newer in /usr/lib/jvm (by its release file), if one is installed. */
    private static Optional<Path> newerJdk() {
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
                    .filter(home -> featureVersion(home.resolve("release")) >= 22)
                    .findFirst();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int featureVersion(Path release) {
        try {
            Matcher m = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return m.find() ? Integer.parseInt(m.group(1)) : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
