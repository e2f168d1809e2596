package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The credentials file: modes, lock, round trip, redaction and damaged files. */
class CredentialsStoreTest {
    private static final Credentials CREDS = new Credentials("acc-SECRET-1", "ref-SECRET-2",
            Instant.parse("2026-11-24T10:15:00Z"), Instant.parse("2026-12-01T10:00:00Z"), "ada", "team-a", "https://sync.example.com");

    @TempDir
    Path dir;

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void writtenFileIs0600InA0700Directory() throws IOException {
        Path homeDir = dir.resolve("home");
        Files.createDirectories(homeDir);
        Files.setPosixFilePermissions(homeDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SpecKittyHome home = SpecKittyHome.at(homeDir);
        CredentialsStore.of(home).write(CREDS);
        assertEquals("rw-------", mode(home.credentials()));
        assertEquals("rwx------", mode(homeDir));
        assertEquals("rw-------", mode(home.credentialsLock()));
    }

    @Test
    void writeCreatesAMissingHome() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("a/b/home"));
        CredentialsStore.of(home).write(CREDS);
        assertEquals("rwx------", mode(home.root()));
        assertEquals(Optional.of(CREDS), CredentialsStore.of(home).read());
    }

    @Test
    void rewriteKeepsTheModeAndLeavesNoTempFiles() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(dir);
        CredentialsStore store = CredentialsStore.of(home);
        store.write(CREDS);
        Files.setPosixFilePermissions(home.credentials(), PosixFilePermissions.fromString("rw-r--r--"));
        store.write(CREDS);
        assertEquals("rw-------", mode(home.credentials()));
        try (var files = Files.list(dir)) {
            assertEquals(java.util.Set.of("credentials", "credentials.lock"),
                    files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()));
        }
    }

    @Test
    void loggedOutIsEmptyAndDeleteReportsWhetherAFileWasRemoved() {
        CredentialsStore store = CredentialsStore.of(SpecKittyHome.at(dir));
        assertEquals(Optional.empty(), store.read());
        assertFalse(store.delete());
        store.write(CREDS);
        assertTrue(store.delete());
        assertEquals(Optional.empty(), store.read());
    }

    @Test
    void toStringNeverShowsTheTokens() {
        String s = CREDS.toString();
        assertFalse(s.contains("SECRET"), s);
        assertEquals("Credentials[user=ada, team=team-a, server=https://sync.example.com, access_expires_at=2026-11-24T10:15:00Z,"
                + " refresh_expires_at=2026-12-01T10:00:00Z, tokens=<redacted>]", s);
    }

    @Test
    void expiry() {
        Instant accessEnd = CREDS.accessExpiresAt();
        assertTrue(CREDS.accessValidAt(accessEnd.minusSeconds(61), 60));
        assertFalse(CREDS.accessValidAt(accessEnd.minusSeconds(60), 60));
        assertTrue(CREDS.refreshValidAt(CREDS.refreshExpiresAt().minusMillis(1)));
        assertFalse(CREDS.refreshValidAt(CREDS.refreshExpiresAt()));
    }

    private Path credentialsFile(String text) throws IOException {
        Path file = dir.resolve("credentials");
        Files.writeString(file, text);
        return file;
    }

    private static final String VALID = """
            [tokens]
            access = "a"
            refresh = "r"
            access_expires_at = "2026-11-24T10:15:00+00:00"
            refresh_expires_at = "2026-12-01T10:00:00+00:00"

            [user]
            username = "ada"
            team_slug = "team-a"

            [server]
            url = "https://sync.example.com"
            """;

    @Test
    void syntaxErrorNamesLineAndColumn() throws IOException {
        Path file = credentialsFile(VALID.replace("refresh = \"r\"", "refresh = r\""));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CredentialsStore.of(SpecKittyHome.at(dir)).read());
        assertEquals(file, e.file());
        assertEquals(3, e.line());
        assertEquals(11, e.column());
    }

    @Test
    void missingKeyIsNamed() throws IOException {
        credentialsFile(VALID.replace("username = \"ada\"\n", ""));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CredentialsStore.of(SpecKittyHome.at(dir)).read());
        assertEquals(1, e.line());
        assertTrue(e.getMessage().contains("missing user.username (expected: a non-empty string; run `spec-kitty auth login` to rewrite the file)"),
                e.getMessage());
    }

    @Test
    void wrongTypeNamesTheKeysLine() throws IOException {
        credentialsFile(VALID.replace("username = \"ada\"", "username = 7"));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CredentialsStore.of(SpecKittyHome.at(dir)).read());
        assertEquals(8, e.line());
        assertTrue(e.getMessage().contains("invalid user.username"), e.getMessage());
    }

    @Test
    void badTimestampNamesTheKeysLine() throws IOException {
        credentialsFile(VALID.replace("\"2026-11-24T10:15:00+00:00\"", "\"soon\""));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CredentialsStore.of(SpecKittyHome.at(dir)).read());
        assertEquals(4, e.line());
        assertTrue(e.getMessage().contains("tokens.access_expires_at = 'soon' is not an ISO-8601 timestamp"), e.getMessage());
    }

    @Test
    void pythonCredentialsWithoutTeamSlugReadAsLocal() throws IOException {
        // The Python tool writes [user] team_slug only when the server sent one.
        credentialsFile(VALID.replace("team_slug = \"team-a\"\n", "").replace("access_expires_at = \"2026-11-24T10:15:00+00:00\"",
                "access_expires_at = \"2026-11-24T10:15:00\""));
        Credentials c = CredentialsStore.of(SpecKittyHome.at(dir)).read().orElseThrow();
        assertEquals(Credentials.NO_TEAM, c.teamSlug());
        assertEquals("local", c.teamSlug());
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), c.accessExpiresAt(), "a naive time is UTC, as Python reads it");
    }

    @Test
    void emptyTeamSlugIsStillAnError() throws IOException {
        credentialsFile(VALID.replace("team_slug = \"team-a\"", "team_slug = \"\""));
        MalformedFileException e = assertThrows(MalformedFileException.class, () -> CredentialsStore.of(SpecKittyHome.at(dir)).read());
        assertEquals(9, e.line());
    }

    @Test
    void tokensWithQuotesAndBackslashesRoundTrip() {
        Credentials odd = new Credentials("a\"b\\c\u0001", "r\nr", CREDS.accessExpiresAt(), CREDS.refreshExpiresAt(),
                "ädä", "team-a", "https://sync.example.com");
        CredentialsStore store = CredentialsStore.of(SpecKittyHome.at(dir));
        store.write(odd);
        assertEquals(Optional.of(odd), store.read());
    }
}
