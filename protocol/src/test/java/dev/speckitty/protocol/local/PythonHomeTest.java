package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.speckitty.protocol.testing.PythonFixtures;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a home the Python spec-kitty wrote, and writing files it reads back byte for byte. */
class PythonHomeTest {
    private static final Credentials FIXTURE_CREDENTIALS = new Credentials(
            "example-access-token",
            "example-refresh-token",
            Instant.parse("2026-11-24T10:15:00Z"),
            Instant.parse("2026-12-01T10:00:00Z"),
            "ada",
            "team-a",
            "https://sync.example.com");

    @TempDir
    Path dir;

    @Test
    void readsItsConfig() {
        SpecKittyHome home = SpecKittyHome.at(PythonFixtures.copyInto(dir, "config.toml"));
        SyncConfig config = ConfigFile.load(home.config());
        assertEquals("https://sync.example.com", config.serverUrl().orElseThrow());
        assertEquals(URI.create("https://sync.example.com"), config.requireServerUrl());
        assertEquals(SyncConfig.DEFAULT_MAX_QUEUE_SIZE, config.maxQueueSize());
        assertEquals(true, config.websocket());
        assertEquals("https://sync.example.com", ConfigFile.get(home.config(), ConfigKey.SERVER_URL).orElseThrow());
    }

    @Test
    void readsItsCredentials() {
        SpecKittyHome home = SpecKittyHome.at(PythonFixtures.copyInto(dir, "credentials", "credentials.lock"));
        Credentials c = CredentialsStore.of(home).read().orElseThrow();
        assertEquals(FIXTURE_CREDENTIALS, c);
        assertEquals("example-access-token", c.accessToken());
        assertEquals("example-refresh-token", c.refreshToken());
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), c.accessExpiresAt());
        assertEquals(Instant.parse("2026-12-01T10:00:00Z"), c.refreshExpiresAt());
        assertEquals("ada", c.username());
        assertEquals("team-a", c.teamSlug());
        assertEquals("https://sync.example.com", c.serverUrl());
    }

    @Test
    void writesCredentialsByteForByteAsPythonDoes() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        CredentialsStore.of(home).write(FIXTURE_CREDENTIALS);
        assertArrayEquals(PythonFixtures.bytes("credentials"), Files.readAllBytes(home.credentials()));
        assertEquals(FIXTURE_CREDENTIALS, CredentialsStore.of(home).read().orElseThrow());
    }

    @Test
    void overwritesThePythonCredentialsUnderItsLockFile() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(PythonFixtures.copyInto(dir, "credentials", "credentials.lock"));
        Credentials refreshed = new Credentials("new-access", "new-refresh", Instant.parse("2026-11-24T11:15:00.5Z"),
                FIXTURE_CREDENTIALS.refreshExpiresAt(), "ada", "team-a", "https://sync.example.com");
        CredentialsStore.of(home).write(refreshed);
        assertEquals(refreshed, CredentialsStore.of(home).read().orElseThrow());
        String text = Files.readString(home.credentials());
        assertEquals(true, text.contains("access_expires_at = \"2026-11-24T11:15:00.500000+00:00\"\n"), text);
    }

    @Test
    void configSetOnAnEmptyHomeWritesWhatPythonWrites() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("fresh"));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, "https://sync.example.com");
        assertArrayEquals(PythonFixtures.bytes("config.toml"), Files.readAllBytes(home.config()));
    }

    @Test
    void configSetOnThePythonConfigChangesOnlyThatValue() throws IOException {
        SpecKittyHome home = SpecKittyHome.at(PythonFixtures.copyInto(dir, "config.toml"));
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, "https://other.example.com");
        assertEquals("[sync]\nserver_url = \"https://other.example.com\"\n", Files.readString(home.config()));
        ConfigFile.set(home.config(), ConfigKey.MAX_QUEUE_SIZE, "5000");
        assertEquals("[sync]\nserver_url = \"https://other.example.com\"\nmax_queue_size = 5000\n", Files.readString(home.config()));
        assertEquals(5000, ConfigFile.load(home.config()).maxQueueSize());
    }
}
