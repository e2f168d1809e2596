package dev.speckitty.e2e.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.engine.net.Gzip;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.event.Ulid;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.RawHttp;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.RefreshRequest;
import dev.speckitty.protocol.wire.TokenRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The API calls of the hostile-client suite, on raw sockets from a chosen loopback address. Stateless. */
final class Calls {
    private static final Ulid IDS = Ulid.systemDefault();

    private Calls() {
    }

    /** An access and refresh token. */
    record Tokens(String access, String refresh) {
    }

    static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    static RawHttp connect(int port, String from) {
        return RawHttp.connect("127.0.0.1", port, address(from), 0);
    }

    static RawHttp.Response login(RawHttp c, String user, String password) {
        return c.send(RawHttp.request("POST", Api.TOKEN, Json.writeBytes(new TokenRequest(user, password)),
                "Content-Type: application/json")).expect();
    }

    static Tokens tokens(RawHttp.Response r) {
        if (r.status() != 200) {
            throw new AssertionError("expected tokens, got " + r);
        }
        JsonNode t = Json.tree(r.body());
        return new Tokens(t.get("access").asText(), t.get("refresh").asText());
    }

    static Tokens login(int port, String from, String user, String password) {
        try (RawHttp c = connect(port, from)) {
            return tokens(login(c, user, password));
        }
    }

    static RawHttp.Response refresh(RawHttp c, String refresh) {
        return c.send(RawHttp.request("POST", Api.TOKEN_REFRESH, Json.writeBytes(new RefreshRequest(refresh)),
                "Content-Type: application/json")).expect();
    }

    static byte[] pullRequest(String access, String after, int limit, String... headers) {
        String[] all = new String[headers.length + 1];
        all[0] = "Authorization: Bearer " + access;
        System.arraycopy(headers, 0, all, 1, headers.length);
        return RawHttp.request("GET", Api.EVENTS + "?after=" + after + "&limit=" + limit, new byte[0], all);
    }

    static byte[] batchRequest(String access, byte[] gzipBody) {
        return RawHttp.request("POST", Api.EVENTS_BATCH, gzipBody, "Authorization: Bearer " + access, "Content-Encoding: gzip",
                "Content-Type: application/json");
    }

    static byte[] gzip(byte[] plain) {
        return Gzip.compress(plain);
    }

    static byte[] batchBody(List<? extends JsonNode> events) {
        return gzip(Json.writeBytes(Map.of("events", events)));
    }

    /** A valid event of {@code team} with a fresh id and an actor of {@code actorChars} characters. */
    static ObjectNode event(String team, int actorChars) {
        ObjectNode e = EventSamples.event("WPStatusChanged");
        e.put("event_id", IDS.next());
        e.put("team_slug", team);
        ((ObjectNode) e.get("payload")).put("actor", "a".repeat(Math.max(1, actorChars)));
        return e;
    }

    static List<ObjectNode> events(String team, int n, int actorChars) {
        List<ObjectNode> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(event(team, actorChars));
        }
        return out;
    }

    /** Every event id of the team, in cursor order, paging with {@code access}. */
    static List<String> allIds(int port, String from, String access) {
        List<String> ids = new ArrayList<>();
        try (RawHttp c = connect(port, from)) {
            String after = "0";
            while (true) {
                RawHttp.Response r = c.send(pullRequest(access, after, 1000)).expect();
                if (r.status() != 200) {
                    throw new AssertionError("pull failed: " + r);
                }
                JsonNode page = Json.tree(r.body());
                page.get("events").forEach(e -> ids.add(e.get("event_id").asText()));
                after = page.get("next_cursor").asText();
                if (!page.get("has_more").asBoolean()) {
                    return ids;
                }
            }
        }
    }
}
