package dev.speckitty.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.wire.Api;
import dev.speckitty.protocol.wire.TokenRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a team's whole history from the team server, as a test's source of truth. */
public final class TeamHistory {
    private TeamHistory() {
    }

    /** Every event of the user's team in server order (each page checked for a dense cursor). */
    public static List<JsonNode> pullAll(String server, String user, String password) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<byte[]> login = http.send(HttpRequest.newBuilder(URI.create(server).resolve(Api.TOKEN))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.writeBytes(new TokenRequest(user, password)))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (login.statusCode() != 200) {
            throw new AssertionError("login as " + user + " failed: HTTP " + login.statusCode());
        }
        String access = Json.tree(login.body()).path("access").asText();
        List<JsonNode> events = new ArrayList<>();
        String cursor = "0";
        while (true) {
            HttpResponse<byte[]> page = http.send(HttpRequest.newBuilder(URI.create(server).resolve(Api.EVENTS + "?after=" + cursor + "&limit=1000"))
                    .header("Authorization", "Bearer " + access).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (page.statusCode() != 200) {
                throw new AssertionError("pull after " + cursor + " failed: HTTP " + page.statusCode());
            }
            JsonNode body = Json.tree(page.body());
            body.path("events").forEach(events::add);
            cursor = body.path("next_cursor").asText();
            if (!body.path("has_more").asBoolean()) {
                return events;
            }
        }
    }
}
