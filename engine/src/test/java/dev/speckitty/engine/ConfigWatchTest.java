package dev.speckitty.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.speckitty.protocol.event.Generation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared look at config.toml: one reading until the file changes; a damaged file read as a problem, and its repair seen. */
class ConfigWatchTest {
    @TempDir
    Path dir;

    private static void write(Path file, String text, long second) throws Exception {
        Files.writeString(file, text);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(second))); // a change the stamp sees at once
    }

    @Test
    void aReadingLastsUntilTheFileChangesAndADamagedFileIsAProblemUntilRepaired() throws Exception {
        Path file = dir.resolve("config.toml");
        ConfigWatch watch = new ConfigWatch(file);

        ConfigWatch.Reading none = watch.current();
        assertEquals(Generation.V2, none.config().schema(), "no file: the defaults");
        assertSame(none, watch.current(), "nothing changed: the same reading, not read again");

        write(file, "[sync]\nserver_url = \"https://a.example\"\nschema = \"3\"\n", 1_000);
        ConfigWatch.Reading three = watch.current();
        assertEquals(Generation.V3, three.config().schema());
        assertEquals("https://a.example", three.config().serverUrl().orElseThrow());
        assertSame(three, watch.current());

        write(file, "[sync\n", 2_000);
        ConfigWatch.Reading damaged = watch.current();
        assertNull(damaged.config());
        assertNotNull(damaged.problem().getMessage());

        write(file, "[sync]\nschema = \"2\"\n", 3_000);
        assertEquals(Generation.V2, watch.current().config().schema(), "repaired: read again");
    }
}
