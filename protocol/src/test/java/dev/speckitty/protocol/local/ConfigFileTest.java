package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** config.toml: defaults, every key, editing that keeps what a person wrote, and errors with line and column. */
class ConfigFileTest {
    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        Path file = dir.resolve("config.toml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void missingFileGivesDefaults() {
        SyncConfig c = ConfigFile.load(dir.resolve("config.toml"));
        assertEquals(SyncConfig.defaults(), c);
        assertEquals(Optional.empty(), c.serverUrl());
        assertEquals(1_000_000, c.maxQueueSize());
        assertTrue(c.websocket());
        assertEquals(1000, c.batchSize());
        assertEquals(3, c.parkAfterRejections());
        assertEquals(30, c.pollIntervalSeconds());
        IllegalStateException e = assertThrows(IllegalStateException.class, c::requireServerUrl);
        assertEquals("no server URL is configured; run `spec-kitty config set sync.server_url https://your-server.example.com`", e.getMessage());
        assertEquals(Optional.empty(), ConfigFile.get(dir.resolve("config.toml"), ConfigKey.SERVER_URL));
    }

    @Test
    void readsEveryKeyAndIgnoresUnknownOnes() throws IOException {
        Path file = config("""
                # written by hand
                [sync]
                server_url = "http://127.0.0.1:8765"
                max_queue_size = 50
                websocket = false
                batch_size = 200
                park_after_rejections = 5
                poll_interval_seconds = 10
                future_key = "ignored"

                [ui]
                color = true
                """);
        SyncConfig c = ConfigFile.load(file);
        assertEquals(new SyncConfig(Optional.of("http://127.0.0.1:8765"), 50, false, 200, 5, 10), c);
        assertEquals(Optional.of("false"), ConfigFile.get(file, ConfigKey.WEBSOCKET));
        assertEquals(Optional.of("200"), ConfigFile.get(file, ConfigKey.BATCH_SIZE));
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() throws IOException {
        Path file = config("[sync]\nserver_url = \"https://x.example.com\"\nmax_queue_size = = 3\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ConfigFile.load(file));
        assertEquals(file, e.file());
        assertEquals(3, e.line());
        assertEquals(18, e.column());
        assertTrue(e.getMessage().startsWith(file + ":3:18: Unexpected '='"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(fix or remove the file, then retry)"), e.getMessage());
    }

    @Test
    void unterminatedStringNamesItsLine() throws IOException {
        Path file = config("# comment\n[sync]\nserver_url = \"https://x.example.com\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ConfigFile.load(file));
        assertEquals(3, e.line());
        assertEquals(36, e.column()); // the end of the line, where the closing quote is missing
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "max_queue_size = \"x\"|sync.max_queue_size = x (expected: an integer >= 1)",
        "max_queue_size = 0|sync.max_queue_size = 0 (expected: an integer >= 1)",
        "batch_size = 1001|sync.batch_size = 1001 (expected: an integer in 1..1000)",
        "park_after_rejections = -1|sync.park_after_rejections = -1 (expected: an integer in 1..1000000)",
        "poll_interval_seconds = 1.5|sync.poll_interval_seconds = 1.5 (expected: an integer in 1..86400)",
        "websocket = \"yes\"|sync.websocket = yes (expected: true or false)",
        "server_url = 42|sync.server_url = 42 (expected: a string)"})
    void wrongTypeNamesTheKeysLine(String line, String problem) throws IOException {
        Path file = config("# settings\n\n[sync]\n" + line + "\n");
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ConfigFile.load(file));
        assertEquals(4, e.line());
        assertEquals(1, e.column());
        assertEquals(file + ":4:1: " + problem + " (fix or remove the file, then retry)", e.getMessage());
    }

    @Test
    void notUtf8IsMalformedAtThatByte() throws IOException {
        Path file = dir.resolve("config.toml");
        Files.write(file, new byte[] {'[', 's', 'y', 'n', 'c', ']', '\n', 'x', ' ', '=', ' ', '"', (byte) 0xff, '"', '\n'});
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> ConfigFile.load(file));
        assertEquals(2, e.line());
        assertEquals(6, e.column());
        assertTrue(e.getMessage().contains("byte 0xff is not valid UTF-8"), e.getMessage());
        assertEquals(2, assertThrows(MalformedFileException.class, () -> ConfigFile.set(file, ConfigKey.WEBSOCKET, "true")).line());
    }

    @Test
    void setCreatesTheFileAndTheTable() throws IOException {
        Path file = dir.resolve("sub/config.toml");
        ConfigFile.set(file, ConfigKey.WEBSOCKET, "FALSE");
        assertEquals("[sync]\nwebsocket = false\n", Files.readString(file));
    }

    @Test
    void setKeepsCommentsOtherKeysAndTables() throws IOException {
        String original = """
                # my settings
                title = "x"

                [sync]
                # where my team lives
                server_url = "https://old.example.com"  # prod
                websocket = true

                [ui]
                color = true
                """;
        Path file = config(original);
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://new.example.com/");
        ConfigFile.set(file, ConfigKey.BATCH_SIZE, "250");
        assertEquals("""
                # my settings
                title = "x"

                [sync]
                # where my team lives
                server_url = "https://new.example.com/"  # prod
                websocket = true
                batch_size = 250

                [ui]
                color = true
                """, Files.readString(file));
        assertEquals(250, ConfigFile.load(file).batchSize());
    }

    @Test
    void setAppendsTheTableAfterOtherContent() throws IOException {
        Path file = config("[ui]\ncolor = true\n");
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://a.example.com");
        assertEquals("[ui]\ncolor = true\n\n[sync]\nserver_url = \"https://a.example.com\"\n", Files.readString(file));
    }

    @Test
    void setEditsADottedRootKeyInPlace() throws IOException {
        Path file = config("sync.server_url = \"https://old.example.com\" # set by hand\n");
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://new.example.com");
        assertEquals("sync.server_url = \"https://new.example.com\" # set by hand\n", Files.readString(file));
        assertEquals("https://new.example.com", ConfigFile.load(file).serverUrl().orElseThrow());
    }

    @Test
    void setAddsADottedKeyWhenTheTableIsWrittenWithDottedKeys() throws IOException {
        Path file = config("title = \"x\"\nsync.websocket = false\n\n[ui]\ncolor = true\n");
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://a.example.com");
        assertEquals("title = \"x\"\nsync.websocket = false\nsync.server_url = \"https://a.example.com\"\n\n[ui]\ncolor = true\n",
                Files.readString(file));
        SyncConfig c = ConfigFile.load(file);
        assertEquals("https://a.example.com", c.serverUrl().orElseThrow());
        assertFalse(c.websocket());
    }

    @Test
    void setDoesNotTakeAnArrayLineForATableHeader() throws IOException {
        Path file = config("[sync]\nextra = [\n  [1, 2],\n]\n\n[ui]\ncolor = true\n");
        ConfigFile.set(file, ConfigKey.WEBSOCKET, "false");
        assertEquals("[sync]\nextra = [\n  [1, 2],\n]\nwebsocket = false\n\n[ui]\ncolor = true\n", Files.readString(file));
    }

    @Test
    void setKeepsThePythonToolsSubTablesOutOfSync() throws IOException {
        // What the Python tool's toml.dumps writes once it remembers a per-repository preference.
        Path file = config("""
                [sync]
                server_url = "https://sync.example.com"

                [sync.repo_defaults."acme/offline-sync"]
                enabled = true

                [sync.checkout_overrides.'/home/ada/src/app']
                enabled = false
                """);
        ConfigFile.set(file, ConfigKey.WEBSOCKET, "false");
        assertEquals("""
                [sync]
                server_url = "https://sync.example.com"
                websocket = false

                [sync.repo_defaults."acme/offline-sync"]
                enabled = true

                [sync.checkout_overrides.'/home/ada/src/app']
                enabled = false
                """, Files.readString(file));
        assertFalse(ConfigFile.load(file).websocket());
    }

    @Test
    void setFindsQuotedAndSpacedTableNames() throws IOException {
        Path file = config("[ \"sync\" ] # quoted\nserver_url = \"https://a.example.com\"\n\n[other]\nx = 1\n");
        ConfigFile.set(file, ConfigKey.BATCH_SIZE, "10");
        assertEquals("[ \"sync\" ] # quoted\nserver_url = \"https://a.example.com\"\nbatch_size = 10\n\n[other]\nx = 1\n",
                Files.readString(file));
    }

    @Test
    void setEditsAWindowsFile() throws IOException {
        Path file = config("[sync]\r\nserver_url = \"https://a.example.com\"\r\nwebsocket = false\r\n");
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://b.example.com");
        SyncConfig c = ConfigFile.load(file);
        assertEquals("https://b.example.com", c.serverUrl().orElseThrow());
        assertFalse(c.websocket());
    }

    @Test
    void setRefusesALayoutItCannotEditSafely() throws IOException {
        String original = "[sync]\nserver_url = \"\"\"\nhttps://old.example.com\"\"\"\n";
        Path file = config(original);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ConfigFile.set(file, ConfigKey.SERVER_URL, "https://new.example.com"));
        assertEquals("cannot set sync.server_url in " + file + ": its layout is too unusual to edit safely;"
                + " set `server_url = \"https://new.example.com\"` under [sync] by hand", e.getMessage());
        assertEquals(original, Files.readString(file), "the file is left as it was");
    }

    @Test
    void setRefusesAMalformedFile() throws IOException {
        Path file = config("[sync\n");
        assertThrows(MalformedFileException.class, () -> ConfigFile.set(file, ConfigKey.WEBSOCKET, "true"));
        assertEquals("[sync\n", Files.readString(file));
    }

    @Test
    void setChecksTheValueAgainstTheKey() {
        Path file = dir.resolve("config.toml");
        assertEquals("sync.batch_size: '1001' (expected: 1..1000)",
                assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.BATCH_SIZE, "1001")).getMessage());
        assertEquals("sync.poll_interval_seconds: '100000' (expected: 1..86400)",
                assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.POLL_INTERVAL_SECONDS, "100000")).getMessage());
        assertEquals("sync.max_queue_size: 'lots' (expected: an integer >= 1)",
                assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.MAX_QUEUE_SIZE, "lots")).getMessage());
        assertEquals("sync.websocket: 'yes' (expected: true or false)",
                assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.WEBSOCKET, "yes")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.SERVER_URL, "http://sync.example.com"))
                .getMessage().contains("uses http:// for a non-loopback host"));
        assertFalse(Files.exists(file));
    }

    @Test
    void everyValueSetCanBeLoaded() throws IOException {
        Path file = dir.resolve("config.toml");
        for (ConfigKey key : ConfigKey.values()) {
            String value = switch (key.kind()) {
                case STRING -> key == ConfigKey.SCHEMA ? "3" : "https://sync.example.com";
                case BOOLEAN -> "false";
                case POSITIVE_INT -> Long.toString(key.maxValue());
            };
            ConfigFile.set(file, key, value);
        }
        SyncConfig c = ConfigFile.load(file);
        assertEquals(new SyncConfig(Optional.of("https://sync.example.com"), Long.MAX_VALUE, false, 1000, 1_000_000, 86_400,
                dev.speckitty.protocol.event.Generation.V3), c);
    }

    @Test
    void aHashInsideAStringIsNotAComment() throws IOException {
        Path file = config("[sync]\nserver_url = \"https://sync.example.com/x?a=1#frag\" # note 'this'\n");
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://b.example.com");
        assertEquals("[sync]\nserver_url = \"https://b.example.com\" # note 'this'\n", Files.readString(file));
        ConfigFile.set(file, ConfigKey.SERVER_URL, "https://d.example.com");
        assertEquals("[sync]\nserver_url = \"https://d.example.com\" # note 'this'\n", Files.readString(file));
    }

    @Test
    void trailingCommentRespectsQuotesAndEscapes() {
        assertEquals("", TomlLineEditor.trailingComment(" \"a#b\""));
        assertEquals("  # c", TomlLineEditor.trailingComment(" \"a\\\"#b\"  # c"));
        assertEquals(" # c", TomlLineEditor.trailingComment(" 'a\\' # c"));
        assertEquals("# c", TomlLineEditor.trailingComment("5# c"));
    }

    @Test
    void keysAndTheirDottedNames() {
        assertEquals(List.of("sync.server_url", "sync.max_queue_size", "sync.websocket", "sync.batch_size",
                "sync.park_after_rejections", "sync.poll_interval_seconds", "sync.schema"), ConfigKey.dottedNames());
        assertEquals(Optional.of(ConfigKey.BATCH_SIZE), ConfigKey.fromDotted("sync.batch_size"));
        assertEquals(Optional.empty(), ConfigKey.fromDotted("batch_size"));
    }

    @Test
    void syncSchemaSelectsTheGenerationNewEventsAreWrittenIn(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.toml");
        assertEquals(dev.speckitty.protocol.event.Generation.V2, ConfigFile.load(file).schema(), "2.x by default");
        assertEquals(java.util.Optional.of("2"), ConfigKey.SCHEMA.defaultText());
        ConfigFile.set(file, ConfigKey.SCHEMA, "3");
        assertTrue(Files.readString(file).contains("schema = \"3\""), Files.readString(file));
        assertEquals(dev.speckitty.protocol.event.Generation.V3, ConfigFile.load(file).schema());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConfigFile.set(file, ConfigKey.SCHEMA, "4"));
        assertEquals("sync.schema: '4' (expected: 2 for spec-kitty 2.x events or 3 for 3.x envelopes)", e.getMessage());
        Files.writeString(file, "[sync]\nschema = \"3.0.0\"\n");
        MalformedFileException bad = assertThrows(MalformedFileException.class, () -> ConfigFile.load(file));
        assertEquals(2, bad.line());
        assertTrue(bad.getMessage().contains("(expected: \"2\" or \"3\")"), bad.getMessage());
        Files.writeString(file, "[sync]\nschema = 3\n");
        assertThrows(MalformedFileException.class, () -> ConfigFile.load(file), "a number is not the string the key holds");
    }
}
