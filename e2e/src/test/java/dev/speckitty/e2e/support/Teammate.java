package dev.speckitty.e2e.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.engine.net.Gzip;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Another member of the team, talking to the team server over plain HTTP as any client could: logs
 * in and uploads events written by hand (a buggy or hostile peer's, say). Owned by one test.
 */
public final class Teammate {
    /** The node id of this teammate's events. */
    public static final String NODE = "b0b0b0b0b0b0";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final URI server;
    private final String access;
    private final String team;

    private Teammate(URI server, String access, String team) {
        this.server = server;
        this.access = access;
        this.team = team;
    }

    /** Logs in as {@code user} on {@code server}. */
    public static Teammate login(String server, String user, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(server).resolve(Api.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, password)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), "login as " + user);
        JsonNode tokens = Json.tree(r.body());
        return new Teammate(URI.create(server), tokens.path("access").asText(), tokens.path("team_slug").asText());
    }

    /** A complete HistoryAdded note of this teammate's node with the given clock and content. */
    public String note(long lamportClock, String content) {
        return note(Ulid.systemDefault().next(), lamportClock, content, team);
    }

    /** A complete HistoryAdded note; the content is written as given (it must be JSON-safe). */
    public static String note(String eventId, long lamportClock, String content, String team) {
        return "{\"event_id\":\"" + eventId + "\",\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\","
                + "\"aggregate_type\":\"WorkPackage\",\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\""
                + content + "\"},\"node_id\":\"" + NODE + "\",\"lamport_clock\":" + lamportClock + ",\"causation_id\":null,"
                + "\"timestamp\":\"2026-11-25T10:00:00+00:00\",\"team_slug\":\"" + team + "\",\"project_uuid\":null,"
                + "\"project_slug\":null,\"git_branch\":null,\"head_commit_sha\":null,\"repo_slug\":null}";
    }

    /** Uploads the events in one batch; answers each event's status in order. */
    public List<String> upload(List<String> events) throws Exception {
        byte[] body = ("{\"events\":[" + String.join(",", events) + "]}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.resolve(Api.EVENTS_BATCH))
                .header("Authorization", "Bearer " + access).header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(Gzip.compress(body))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        List<String> statuses = new ArrayList<>();
        Json.tree(r.body()).path("results").forEach(e -> statuses.add(e.path("status").asText()));
        return statuses;
    }
}
