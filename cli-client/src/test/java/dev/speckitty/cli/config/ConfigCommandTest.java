package dev.speckitty.cli.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.cli.ExitCodes;
import dev.speckitty.cli.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ConfigCommandTest {
    @TempDir
    Path home;

    @Test
    void setThenGetKeepsCommentsAndOtherKeys() throws Exception {
        Cli cli = new Cli(home);
        Files.writeString(cli.home().config(), "# mine\n[sync]\nmax_queue_size = 10\n\n[other]\nx = 1\n");
        Cli.Result set = cli.run("config", "set", "sync.server_url", "https://sync.example.com");
        assertEquals(ExitCodes.OK, set.exit(), set.toString());
        assertTrue(set.out().startsWith("Set sync.server_url = https://sync.example.com in " + cli.home().config()), set.out());
        assertEquals("https://sync.example.com\n", cli.run("config", "get", "sync.server_url").out());
        assertEquals("10\n", cli.run("config", "get", "sync.max_queue_size").out());
        String text = Files.readString(cli.home().config());
        assertTrue(text.startsWith("# mine\n[sync]\nmax_queue_size = 10\nserver_url = \"https://sync.example.com\"\n"), text);
        assertTrue(text.contains("[other]\nx = 1"), text);
    }

    @Test
    void unknownKeysBadValuesAndUnsetKeysSaySo() {
        Cli cli = new Cli(home);
        Cli.Result unknown = cli.run("config", "get", "sync.nope");
        assertEquals(ExitCodes.USAGE, unknown.exit());
        assertTrue(unknown.err().contains("sync.server_url"), unknown.err());

        Cli.Result bad = cli.run("config", "set", "sync.batch_size", "5000");
        assertEquals(ExitCodes.USAGE, bad.exit());
        assertTrue(bad.err().contains("1..1000"), bad.err());

        Cli.Result defaulted = cli.run("config", "get", "sync.websocket");
        assertEquals(ExitCodes.OK, defaulted.exit(), defaulted.toString());
        assertEquals("true\n", defaulted.out());
        Cli.Result unset = cli.run("config", "get", "sync.server_url");
        assertEquals(ExitCodes.FAILURE, unset.exit());
        assertTrue(unset.err().contains("sync.server_url is not set"), unset.err());

        Cli.Result missingValue = cli.run("config", "set", "sync.websocket");
        assertEquals(ExitCodes.USAGE, missingValue.exit());
    }

    @Test
    void aMalformedConfigIsNotEditedAndNamesTheLine() throws Exception {
        Cli cli = new Cli(home);
        Files.writeString(cli.home().config(), "[sync]\nserver_url = = 3\n");
        Cli.Result r = cli.run("config", "set", "sync.websocket", "false");
        assertEquals(ExitCodes.FAILURE, r.exit(), r.toString());
        assertTrue(r.err().contains(cli.home().config() + ":2:"), r.err());
        assertEquals("[sync]\nserver_url = = 3\n", Files.readString(cli.home().config()));
    }

    @Test
    void getJsonGivesKeyValueAndFile() {
        Cli cli = new Cli(home);
        assertEquals("{\"key\":\"sync.websocket\",\"value\":\"true\",\"source\":\"default\",\"file\":\"" + cli.home().config() + "\"}\n",
                cli.run("config", "get", "sync.websocket", "--json").out());
        cli.run("config", "set", "sync.websocket", "false");
        assertEquals("{\"key\":\"sync.websocket\",\"value\":\"false\",\"source\":\"file\",\"file\":\"" + cli.home().config() + "\"}\n",
                cli.run("config", "get", "sync.websocket", "--json").out());
    }
}
