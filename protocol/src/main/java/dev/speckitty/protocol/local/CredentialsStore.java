package dev.speckitty.protocol.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import org.tomlj.TomlParseResult;
import org.tomlj.TomlPosition;

/**
 * Reads and writes {@code credentials} in the Python tool's TOML layout: mode 0600 inside a 0700
 * directory, every write under {@code credentials.lock} and atomic.
 */
public final class CredentialsStore {
    private final Path file;
    private final Path lock;

    public CredentialsStore(Path file, Path lock) {
        this.file = file;
        this.lock = lock;
    }

    public static CredentialsStore of(SpecKittyHome home) {
        return new CredentialsStore(home.credentials(), home.credentialsLock());
    }

    public Path file() {
        return file;
    }

    /** The stored credentials, or empty when logged out (no file). A damaged file is an error naming it. */
    public Optional<Credentials> read() {
        return Toml.read(file).map(this::fromToml);
    }

    /** Replaces the stored credentials. */
    public void write(Credentials c) {
        try {
            // Before the lock: the lock file lives in this directory, which must exist and be private first.
            FilePermissions.privateDirectory(file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file.toAbsolutePath().getParent() + " (mode 0700): " + e.getMessage(), e);
        }
        InterProcessLock.withLock(lock, () -> {
            try {
                AtomicFile.write(file, toToml(c), true);
                return null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** Removes the stored credentials (logout); true when a file was removed. */
    public boolean delete() {
        return InterProcessLock.withLock(lock, () -> {
            try {
                return Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
            }
        });
    }

    /** The exact text the Python tool writes. */
    static String toToml(Credentials c) {
        return "[tokens]\n"
                + "access = " + Toml.quote(c.accessToken()) + "\n"
                + "refresh = " + Toml.quote(c.refreshToken()) + "\n"
                + "access_expires_at = " + Toml.quote(Timestamps.format(c.accessExpiresAt())) + "\n"
                + "refresh_expires_at = " + Toml.quote(Timestamps.format(c.refreshExpiresAt())) + "\n"
                + "\n"
                + "[user]\n"
                + "username = " + Toml.quote(c.username()) + "\n"
                + "team_slug = " + Toml.quote(c.teamSlug()) + "\n"
                + "\n"
                + "[server]\n"
                + "url = " + Toml.quote(c.serverUrl()) + "\n";
    }

    private Credentials fromToml(TomlParseResult toml) {
        return new Credentials(
                required(toml, "tokens.access"),
                required(toml, "tokens.refresh"),
                instant(toml, "tokens.access_expires_at"),
                instant(toml, "tokens.refresh_expires_at"),
                required(toml, "user.username"),
                required(toml, "user.team_slug"),
                required(toml, "server.url"));
    }

    private String required(TomlParseResult toml, String key) {
        Object v = toml.get(key);
        if (v instanceof String s && !s.isEmpty()) {
            return s;
        }
        TomlPosition pos = toml.inputPositionOf(key);
        throw new MalformedFileException(file, pos == null ? 1 : pos.line(), pos == null ? 1 : pos.column(),
                (v == null ? "missing " : "invalid ") + key + " (expected: a non-empty string; run `spec-kitty auth login` to rewrite the file)");
    }

    private java.time.Instant instant(TomlParseResult toml, String key) {
        String text = required(toml, key);
        try {
            return Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            TomlPosition pos = toml.inputPositionOf(key);
            throw new MalformedFileException(file, pos.line(), pos.column(),
                    key + " = '" + text + "' is not an ISO-8601 timestamp (run `spec-kitty auth login` to rewrite the file)");
        }
    }
}
