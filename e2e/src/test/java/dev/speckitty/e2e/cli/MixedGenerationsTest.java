package dev.speckitty.e2e.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.e2e.support.ServerProcess;
import dev.speckitty.e2e.support.SpecKitty;
import dev.speckitty.protocol.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One team, two homes against the real server: ada's with {@code sync.schema = "3"} writes 3.x
 * envelopes, bob's writes 2.x events; after a sync each sees the other's events, ada's with every 3.x
 * member kept (the launcher, the server and the in-process sync are real processes and files).
 */
@Timeout(180)
class MixedGenerationsTest {
    static final String PASSWORD = "correct horse battery";

    @TempDir
    Path dir;

    @Test
    void aTwoAndAThreeClientOfOneTeamSeeEachOthersEvents() throws Exception {
        Path data = Files.createDirectories(dir.resolve("server-data"));
        SpecKitty ada = new SpecKitty(Files.createDirectories(dir.resolve("ada")));
        SpecKitty bob = new SpecKitty(Files.createDirectories(dir.resolve("bob")));
        ServerProcess.addUser(ada.dist(), data, "ada", "team-a", PASSWORD);
        ServerProcess.addUser(ada.dist(), data, "bob", "team-a", PASSWORD);
        try (ServerProcess server = ServerProcess.start(ada.dist(), data)) {
            for (SpecKitty[] who : new SpecKitty[][] {{ada}, {bob}}) {
                ok(who[0], "config", "set", "sync.server_url", server.url());
            }
            ok(ada, "config", "set", "sync.schema", "3");
            assertEquals("3", ok(ada, "config", "get", "sync.schema").out().trim().replaceAll(".*= *", "").replace("\"", ""));
            SpecKitty.Run badSchema = ada.run("config", "set", "sync.schema", "4");
            assertEquals(2, badSchema.exit(), badSchema.toString());
            assertTrue(badSchema.err().contains("expected: 2 for spec-kitty 2.x events or 3 for 3.x envelopes"), badSchema.err());
            assertEquals(0, ada.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "ada", "--password-stdin").exit());
            assertEquals(0, bob.runWithInput(PASSWORD + "\n", "auth", "login", "--username", "bob", "--password-stdin").exit());

            ok(ada, "events", "emit", "MissionCreated", "--aggregate-id", "offline-sync-01kat0v6", "--payload",
                    "{\"mission_slug\":\"offline-sync-01kat0v6\",\"mission_number\":null,\"mission_type\":\"software-dev\","
                            + "\"target_branch\":\"main\",\"wp_count\":2,\"friendly_name\":\"Offline sync\","
                            + "\"purpose_tldr\":\"Work offline\",\"purpose_context\":\"Developers travel\"}");
            ok(ada, "events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload",
                    "{\"mission_slug\":\"offline-sync-01kat0v6\",\"wp_id\":\"WP01\",\"from_lane\":\"genesis\","
                            + "\"to_lane\":\"in_review\",\"actor\":\"ada\",\"execution_mode\":\"worktree\"}");
            SpecKitty.Run twoPayload = ada.run("events", "emit", "WPStatusChanged", "--aggregate-id", "WP01", "--payload",
                    "{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}");
            assertEquals(2, twoPayload.exit(), "a 2.x payload is not a 3.x one: " + twoPayload);
            assertTrue(twoPayload.err().contains("payload.execution_mode: is required"), twoPayload.err());
            ok(bob, "events", "emit", "WPStatusChanged", "--aggregate-id", "WP02", "--payload",
                    "{\"wp_id\":\"WP02\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}");

            Map<String, JsonNode> adaQueued = byId(ok(ada, "events", "list", "--json"));
            Map<String, JsonNode> bobQueued = byId(ok(bob, "events", "list", "--json"));
            for (JsonNode e : adaQueued.values()) {
                assertEquals("3.0.0", e.path("schema_version").asText(), e.toString());
                assertEquals(e.path("event_id").asText(), e.path("correlation_id").asText());
                assertTrue(e.has("build_id"), e.toString());
            }
            assertFalse(bobQueued.values().iterator().next().has("schema_version"), "2.x by default");

            ok(ada, "sync", "now");
            ok(bob, "sync", "now");
            ok(ada, "sync", "now");

            Map<String, JsonNode> adaSees = byId(ok(ada, "events", "list", "--json"));
            Map<String, JsonNode> bobSees = byId(ok(bob, "events", "list", "--json"));
            assertEquals(3, adaSees.size(), adaSees.toString());
            assertEquals(adaSees.keySet(), bobSees.keySet());
            for (Map.Entry<String, JsonNode> queued : adaQueued.entrySet()) {
                assertEquals(queued.getValue(), bobSees.get(queued.getKey()), "bob sees ada's 3.x envelope whole");
            }
            for (Map.Entry<String, JsonNode> queued : bobQueued.entrySet()) {
                assertEquals(queued.getValue(), adaSees.get(queued.getKey()), "ada sees bob's 2.x event as sent");
            }
            assertEquals(0, Json.tree(ok(ada, "sync", "status", "--json").out()).at("/queue/depth").asLong());
        }
    }

    private static Map<String, JsonNode> byId(SpecKitty.Run list) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode e : Json.tree(list.out())) {
            out.put(e.path("event_id").asText(), e);
        }
        return out;
    }

    private static SpecKitty.Run ok(SpecKitty sk, String... args) {
        SpecKitty.Run r = sk.run(args);
        assertEquals(0, r.exit(), String.join(" ", args) + "\n" + r);
        return r;
    }
}
