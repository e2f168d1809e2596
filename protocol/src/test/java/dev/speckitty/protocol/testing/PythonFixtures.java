package dev.speckitty.protocol.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The files the Python spec-kitty v2.0.0 wrote into an empty home (test resources under
 * {@code python-v2/}, copied from the shared fixtures). {@code events.ndjson} holds the {@code data}
 * column of its {@code queue.db}, one event per line, extracted once with:
 * <pre>
 * python3 -c "import sqlite3; c = sqlite3.connect('file:queue.db?mode=ro', uri=True)
 * open('events.ndjson', 'w').writelines(d + '\n' for (d,) in c.execute('SELECT data FROM queue ORDER BY timestamp, id'))"
 * </pre>
 * because the protocol module has no JDBC driver.
 */
public final class PythonFixtures {
    private PythonFixtures() {
    }

    /** The bytes of one fixture file. */
    public static byte[] bytes(String name) {
        try (InputStream in = PythonFixtures.class.getResourceAsStream("/python-v2/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource python-v2/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of one fixture file. */
    public static String text(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Copies fixture files into {@code home} (created if needed) and returns it. */
    public static Path copyInto(Path home, String... names) {
        try {
            Files.createDirectories(home);
            for (String name : names) {
                try (InputStream in = PythonFixtures.class.getResourceAsStream("/python-v2/" + name)) {
                    Files.copy(in, home.resolve(name), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
