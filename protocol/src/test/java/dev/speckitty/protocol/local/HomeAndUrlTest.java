package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Home resolution and file names, the socket fallback, server URL rules, timestamps and node ids. */
class HomeAndUrlTest {
    @Test
    void defaultHomeIsDotSpecKittyInTheUserHome() {
        SpecKittyHome home = SpecKittyHome.resolve(Map.of(), "/home/ada", "ada");
        assertEquals(Path.of("/home/ada/.spec-kitty"), home.root());
        assertEquals(Path.of("/home/ada/.spec-kitty/config.toml"), home.config());
        assertEquals(Path.of("/home/ada/.spec-kitty/credentials"), home.credentials());
        assertEquals(Path.of("/home/ada/.spec-kitty/credentials.lock"), home.credentialsLock());
        assertEquals(Path.of("/home/ada/.spec-kitty/clock.json"), home.clock());
        assertEquals(Path.of("/home/ada/.spec-kitty/clock.lock"), home.clockLock());
        assertEquals(Path.of("/home/ada/.spec-kitty/queue.db"), home.queueDb());
        assertEquals(Path.of("/home/ada/.spec-kitty/daemon.lock"), home.daemonLock());
        assertEquals(Path.of("/home/ada/.spec-kitty/logs"), home.logs());
        assertEquals(Path.of("/home/ada/.spec-kitty/daemon.sock"), home.socket());
    }

    @Test
    void specKittyHomeOverridesTheDefault() {
        assertEquals(Path.of("/srv/sk"), SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", "/srv/sk/./"), "/home/ada", "ada").root());
        assertEquals(Path.of("/home/ada/.spec-kitty"), SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", "  "), "/home/ada", "ada").root(),
                "a blank variable counts as unset");
        Path relative = SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", "rel/home"), "/home/ada", "ada").root();
        assertTrue(relative.isAbsolute());
        assertTrue(relative.endsWith(Path.of("rel/home")));
    }

    @Test
    void fromEnvironmentFollowsTheProcess() {
        String configured = System.getenv("SPEC_KITTY_HOME");
        Path expected = configured != null && !configured.isBlank()
                ? Path.of(configured).toAbsolutePath().normalize()
                : Path.of(System.getProperty("user.home"), ".spec-kitty");
        assertEquals(expected, SpecKittyHome.fromEnvironment().root());
    }

    @Test
    void longHomeFallsBackToTheRuntimeDirectory() {
        String longRoot = "/tmp/" + "x".repeat(120);
        SpecKittyHome home = SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", longRoot, "XDG_RUNTIME_DIR", "/run/user/1000"), "/home/ada", "ada");
        Path socket = home.socket();
        assertEquals(Path.of("/run/user/1000/spec-kitty"), socket.getParent());
        assertTrue(socket.getFileName().toString().matches("[0-9a-f]{16}\\.sock"), socket.toString());
        assertTrue(socket.toString().getBytes(StandardCharsets.UTF_8).length <= 100);
        assertEquals(socket, SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", longRoot, "XDG_RUNTIME_DIR", "/run/user/1000"), "/", "ada").socket(),
                "stable for the same home");
        SpecKittyHome other = SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", longRoot + "y", "XDG_RUNTIME_DIR", "/run/user/1000"), "/", "ada");
        assertFalse(socket.equals(other.socket()), "two long homes get two sockets");
    }

    @Test
    void longHomeWithoutRuntimeDirectoryUsesAPerUserTmpDirectory() {
        SpecKittyHome home = SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", "/tmp/" + "y".repeat(120)), "/home/ada", "ada");
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "spec-kitty-ada"), home.socket().getParent());
    }

    @Test
    void socketPathLimitIsCountedInBytes() {
        // 100 bytes exactly stays in the home; multi-byte names count as their UTF-8 length.
        String root96 = "/" + "a".repeat(83); // + "/daemon.sock" (12) = 96 bytes
        assertEquals(Path.of(root96, "daemon.sock"), SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", root96), "/", "u").socket());
        String root100 = "/" + "a".repeat(87);
        assertEquals(Path.of(root100, "daemon.sock"), SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", root100), "/", "u").socket());
        String root101 = "/" + "a".repeat(88);
        assertFalse(SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", root101), "/", "u").socket().startsWith(root101));
        String umlauts = "/" + "ä".repeat(44); // 89 bytes + 12 = 101
        assertFalse(SpecKittyHome.resolve(Map.of("SPEC_KITTY_HOME", umlauts), "/", "u").socket().startsWith(umlauts));
    }

    @Test
    void atAgreesWithFromEnvironmentOnTheSocketFallback() {
        Path longRoot = Path.of("/tmp/" + "z".repeat(120));
        Map<String, String> env = new java.util.HashMap<>(System.getenv());
        env.put("SPEC_KITTY_HOME", longRoot.toString());
        assertEquals(SpecKittyHome.resolve(env, System.getProperty("user.home"), System.getProperty("user.name")).socket(),
                SpecKittyHome.at(longRoot).socket());
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://sync.example.com", "https://sync.example.com:8443/", "HTTPS://Sync.Example.com",
        "http://localhost:8765", "http://127.0.0.1:8765/", "http://127.1.2.3", "http://[::1]:8765", "  https://sync.example.com  "})
    void acceptedServerUrls(String url) {
        URI uri = ServerUrl.parse(url);
        assertFalse(uri.toString().endsWith("/"), uri.toString());
    }

    @Test
    void trailingSlashIsDropped() {
        assertEquals(URI.create("https://sync.example.com"), ServerUrl.parse("https://sync.example.com/"));
        assertEquals(URI.create("http://127.0.0.1:8765"), ServerUrl.parse("http://127.0.0.1:8765/"));
    }

    @Test
    void plainHttpToARemoteHostIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("http://sync.example.com"));
        assertEquals("server URL 'http://sync.example.com' uses http:// for a non-loopback host; use https:// (plain http is"
                + " allowed only for localhost, 127.0.0.0/8 and ::1)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("http://10.0.0.1:8765"));
        assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("http://localhost.example.com"));
        assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("http://127.0.0.1.example.com"));
    }

    @Test
    void credentialsQueriesAndFragmentsAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("https://ada:hunter2@sync.example.com"));
        assertEquals("server URL 'https://<redacted>@sync.example.com' must not contain a user name or password;"
                + " remove the part before '@' and log in with `spec-kitty auth login`", e.getMessage());
        assertFalse(e.getMessage().contains("hunter2"));
        assertEquals("server URL 'https://sync.example.com/?team=a' must not have a query (?…) or fragment (#…);"
                + " use the server's base URL, e.g. https://sync.example.com",
                assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("https://sync.example.com/?team=a")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse("https://sync.example.com/#top"));
        assertEquals(URI.create("https://sync.example.com/team-a"), ServerUrl.parse("https://sync.example.com/team-a/"), "a path prefix is fine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync.example.com", "ftp://sync.example.com", "https://", "https:///path", "not a url", "", "ws://localhost"})
    void garbageIsRefusedWithAHint(String url) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerUrl.parse(url));
        assertTrue(e.getMessage().startsWith("server URL '" + url + "'"), e.getMessage());
    }

    @Test
    void timestampsAreWrittenLikePythonIsoformat() {
        assertEquals("2026-11-24T22:59:29.746752+00:00", Timestamps.format(Instant.parse("2026-11-24T22:59:29.746752Z")));
        assertEquals("2026-11-24T10:15:00+00:00", Timestamps.format(Instant.parse("2026-11-24T10:15:00Z")));
        assertEquals("2026-11-24T10:15:00.000001+00:00", Timestamps.format(Instant.parse("2026-11-24T10:15:00.000001999Z")),
                "nanoseconds are truncated to microseconds like Python's datetime");
        assertEquals("2026-11-24T10:15:00.500000+00:00", Timestamps.format(Instant.parse("2026-11-24T10:15:00.5Z")));
        assertEquals("0999-01-01T00:00:00+00:00", Timestamps.format(Instant.parse("0999-01-01T00:00:00Z")));
    }

    @Test
    void timestampsIgnoreTheDefaultLocale() {
        java.util.Locale saved = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.forLanguageTag("ar-EG-u-nu-arab"));
            assertEquals("2026-11-24T22:59:29.746752+00:00", Timestamps.format(Instant.parse("2026-11-24T22:59:29.746752Z")));
        } finally {
            java.util.Locale.setDefault(saved);
        }
    }

    @Test
    void timestampsParseAnyOffset() {
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), Timestamps.parse("2026-11-24T10:15:00+00:00"));
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), Timestamps.parse("2026-11-24T11:15:00+01:00"));
        assertEquals(Instant.parse("2026-11-24T10:15:00.746752Z"), Timestamps.parse("2026-11-24T10:15:00.746752Z"));
        assertEquals(Instant.parse("2026-11-24T10:15:00Z"), Timestamps.parse("2026-11-24T10:15:00"), "naive = UTC, like the Python reader");
        assertThrows(java.time.format.DateTimeParseException.class, () -> Timestamps.parse("soon"));
    }

    @Test
    void nodeIdIsTheSha256PrefixOfHostAndUser() {
        // python3 -c 'import hashlib; print(hashlib.sha256(b"devbox:ada").hexdigest()[:12])'
        assertEquals("719af577d5d7", NodeId.of("devbox", "ada"));
        assertTrue(NodeId.local().matches("[0-9a-f]{12}"));
    }

    @Test
    void nodeIdUserFollowsGetpass() {
        assertEquals("lo", NodeId.username(Map.of("LOGNAME", "lo", "USER", "us"), "acct"));
        assertEquals("us", NodeId.username(Map.of("LOGNAME", "", "USER", "us"), "acct"));
        assertEquals("ln", NodeId.username(Map.of("LNAME", "ln", "USERNAME", "un"), "acct"));
        assertEquals("un", NodeId.username(Map.of("USERNAME", "un"), "acct"));
        assertEquals("acct", NodeId.username(Map.of(), "acct"));
    }
}
