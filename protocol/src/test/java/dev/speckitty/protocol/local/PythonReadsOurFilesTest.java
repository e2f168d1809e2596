package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files we write, read by a real Python 3.11+ the way the Python spec-kitty reads them (tomllib for
 * TOML, which is stricter than the {@code toml} package the tool uses; json for clock.json; its
 * expiry parsing). Skipped when no such python3 is on the PATH.
 */
class PythonReadsOurFilesTest {
    private static final String READER = """
            import json, sys, tomllib
            from datetime import datetime, UTC
            home = sys.argv[1]
            def expiry(v):
                if v.endswith("Z"):
                    v = v[:-1] + "+00:00"
                d = datetime.fromisoformat(v)
                return (d.astimezone(UTC) if d.tzinfo else d.replace(tzinfo=UTC)).isoformat()
            with open(home + "/credentials", "rb") as f:
                creds = tomllib.load(f)
            with open(home + "/config.toml", "rb") as f:
                config = tomllib.load(f)
            with open(home + "/clock.json") as f:
                clock = json.load(f)
            print(json.dumps({
                "access": creds["tokens"]["access"],
                "refresh": creds["tokens"]["refresh"],
                "access_expires_at": expiry(creds["tokens"]["access_expires_at"]),
                "refresh_expires_at": expiry(creds["tokens"]["refresh_expires_at"]),
                "username": creds["user"]["username"],
                "team_slug": creds["user"].get("team_slug"),
                "server": creds["server"]["url"],
                "server_url": config.get("sync", {}).get("server_url"),
                "max_queue_size": config["sync"].get("max_queue_size"),
                "comment_kept_key": config["ui"]["color"],
                "clock_value": clock.get("value", 0),
                "node_id": clock["node_id"],
                "clock_updated_at": datetime.fromisoformat(clock["updated_at"]).isoformat(),
            }))
            """;

    @TempDir
    Path dir;

    private static boolean pythonWithTomllib() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import tomllib").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void pythonReadsWhatWeWrite() throws Exception {
        assumeTrue(pythonWithTomllib(), "python3 >= 3.11 (tomllib) is not installed");
        SpecKittyHome home = SpecKittyHome.at(dir.resolve("home"));
        CredentialsStore.of(home).write(new Credentials("acc \"quoted\" \\ token", "ref-token", Instant.parse("2026-11-24T10:15:00.25Z"),
                Instant.parse("2026-12-01T10:00:00Z"), "adä", "team-a", "https://sync.example.com"));
        Files.writeString(home.config(), "# mine\n[ui]\ncolor = true # keep\n");
        ConfigFile.set(home.config(), ConfigKey.SERVER_URL, "https://sync.example.com");
        ConfigFile.set(home.config(), ConfigKey.MAX_QUEUE_SIZE, "5000");
        new LamportClock(home.clock(), home.clockLock(), () -> "b805cd5cee74",
                Clock.fixed(Instant.parse("2026-11-24T22:59:29.746752Z"), ZoneOffset.UTC), () -> 0L).tick(41);

        Process python = new ProcessBuilder("python3", "-c", READER, home.root().toString()).redirectError(dir.resolve("err.txt").toFile()).start();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), Files.readString(dir.resolve("err.txt")));

        JsonNode read = Json.tree(out);
        assertEquals("acc \"quoted\" \\ token", read.get("access").asText());
        assertEquals("ref-token", read.get("refresh").asText());
        assertEquals("2026-11-24T10:15:00.250000+00:00", read.get("access_expires_at").asText());
        assertEquals("2026-12-01T10:00:00+00:00", read.get("refresh_expires_at").asText());
        assertEquals("adä", read.get("username").asText());
        assertEquals("team-a", read.get("team_slug").asText());
        assertEquals("https://sync.example.com", read.get("server").asText());
        assertEquals("https://sync.example.com", read.get("server_url").asText());
        assertEquals(5000, read.get("max_queue_size").asInt());
        assertTrue(read.get("comment_kept_key").asBoolean());
        assertEquals(41, read.get("clock_value").asInt());
        assertEquals("b805cd5cee74", read.get("node_id").asText());
        assertEquals("2026-11-24T22:59:29.746752+00:00", read.get("clock_updated_at").asText());
    }
}
