package dev.speckitty.protocol.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.Event;
import dev.speckitty.protocol.event.EventSamples;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server API bodies: exact JSON on the wire and round trips through the one codec. */
class WireTypesTest {
    @Test
    void batchRequestKeepsEventsRaw() {
        JsonNode bad = Json.tree("{\"event_id\": \"nope\", \"extra\": [1]}");
        BatchRequest request = new BatchRequest(List.of(EventSamples.event("WPCreated"), bad));
        String json = Json.write(request);
        assertTrue(json.startsWith("{\"events\":[{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\""), json);
        BatchRequest back = Json.read(json, BatchRequest.class);
        assertEquals(request, back);
        assertEquals(bad, back.events().get(1), "an invalid event survives untouched so the server can judge it");
        assertEquals(List.of(), Json.read("{}", BatchRequest.class).events());
        assertEquals("{\"events\":[]}", Json.write(new BatchRequest(null)));
    }

    @Test
    void batchResponseStatusIsLowercaseAndErrorMessageAlwaysPresent() {
        BatchResponse response = new BatchResponse(List.of(
                EventResult.success("01KAT0V6J8Q5R9S1T2V3W4X5Y6", 42),
                EventResult.duplicate("01KAT0V6J9A1B2C3D4E5F6G7H8", 7),
                EventResult.rejected("01KAT0V6JAJ1K2M3N4P5Q6R7S8", "payload.to_lane: 'x' is not allowed")));
        String json = Json.write(response);
        assertEquals("{\"results\":["
                + "{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"status\":\"success\",\"error_message\":null,\"cursor\":\"42\"},"
                + "{\"event_id\":\"01KAT0V6J9A1B2C3D4E5F6G7H8\",\"status\":\"duplicate\",\"error_message\":null,\"cursor\":\"7\"},"
                + "{\"event_id\":\"01KAT0V6JAJ1K2M3N4P5Q6R7S8\",\"status\":\"rejected\",\"error_message\":\"payload.to_lane: 'x' is not allowed\",\"cursor\":null}]}",
                json);
        BatchResponse back = Json.read(json, BatchResponse.class);
        assertEquals(response, back);
        assertTrue(back.results().get(0).status().acknowledged());
        assertTrue(back.results().get(1).status().acknowledged());
        assertFalse(back.results().get(2).status().acknowledged());
        assertEquals("payload.to_lane: 'x' is not allowed", back.results().get(2).reason().orElseThrow());
        assertTrue(back.results().get(0).reason().isEmpty());
        assertEquals(42, back.results().get(0).position().orElseThrow());
        assertTrue(back.results().get(2).position().isEmpty());
        assertTrue(Json.read("{\"event_id\":\"E\",\"status\":\"success\",\"cursor\":\"-1\"}", EventResult.class).position().isEmpty(),
                "a cursor that is not one is no position");
    }

    @Test
    void batchResponseFromAPythonServerWithoutErrorMessage() {
        BatchResponse r = Json.read("{\"results\": [{\"event_id\": \"01KAT0V6J8Q5R9S1T2V3W4X5Y6\", \"status\": \"SUCCESS\"}], \"extra\": 1}",
                BatchResponse.class);
        assertEquals(List.of(EventResult.success("01KAT0V6J8Q5R9S1T2V3W4X5Y6")), r.results());
    }

    @Test
    void unknownResultStatusIsAJsonError() {
        JsonException e = assertThrows(JsonException.class,
                () -> Json.read("{\"results\": [{\"event_id\": \"x\", \"status\": \"maybe\"}]}", BatchResponse.class));
        assertTrue(e.getMessage().startsWith("malformed JSON for BatchResponse"), e.getMessage());
    }

    @Test
    void pullPage() {
        Event event = Event.parse(EventSamples.event("HistoryAdded"));
        PullPage page = new PullPage(List.of(event), "17", true);
        String json = Json.write(page);
        JsonNode tree = Json.tree(json);
        assertEquals(List.of("events", "next_cursor", "has_more"), fieldNames(tree));
        assertEquals("17", tree.get("next_cursor").asText());
        assertTrue(tree.get("has_more").asBoolean());
        assertEquals(page, Json.read(json, PullPage.class));
        assertEquals("{\"events\":[],\"next_cursor\":null,\"has_more\":false}", Json.write(new PullPage(null, null, false)));
    }

    @Test
    void splicedPullPageIsByteForByteTheSerialisedOne() {
        Event a = Event.parse(EventSamples.event("HistoryAdded"));
        Event b = Event.parse(EventSamples.event("WPStatusChanged"));
        for (PullPage page : List.of(new PullPage(List.of(a, b), "17", true), new PullPage(List.of(a), "1", false),
                new PullPage(List.of(), "0", false))) {
            byte[] spliced = PullPage.spliced(page.events().stream().map(Event::toJson).toList(), page.nextCursor(), page.hasMore());
            assertEquals(Json.write(page), new String(spliced, java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(page, Json.read(spliced, PullPage.class));
        }
    }

    @Test
    void errorResponse() {
        ErrorResponse r = new ErrorResponse("malformed body", List.of(new ErrorDetail("01KAT0V6J8Q5R9S1T2V3W4X5Y6", "not an object"),
                new ErrorDetail(null, "more than 1000 events")));
        String json = Json.write(r);
        assertEquals("{\"error\":\"malformed body\",\"details\":[{\"event_id\":\"01KAT0V6J8Q5R9S1T2V3W4X5Y6\",\"reason\":\"not an object\"},"
                + "{\"event_id\":null,\"reason\":\"more than 1000 events\"}]}", json);
        assertEquals(r, Json.read(json, ErrorResponse.class));
        assertEquals("{\"error\":\"token expired\",\"details\":[]}", Json.write(ErrorResponse.of("token expired")));
        assertEquals(List.of(), Json.read("{\"error\": \"x\"}", ErrorResponse.class).details());
    }

    @Test
    void tokenBodiesAreSnakeCaseAndRedacted() {
        TokenRequest login = new TokenRequest("ada", "pa55-SECRET");
        assertEquals("{\"username\":\"ada\",\"password\":\"pa55-SECRET\"}", Json.write(login));
        assertEquals("TokenRequest[username=ada, password=<redacted>]", login.toString());

        RefreshRequest refresh = new RefreshRequest("ref-SECRET");
        assertEquals("{\"refresh\":\"ref-SECRET\"}", Json.write(refresh));
        assertFalse(refresh.toString().contains("SECRET"));

        TokenResponse tokens = Json.read("{\"access\": \"acc-SECRET\", \"refresh\": \"ref-SECRET\", \"access_lifetime\": 900,"
                + " \"refresh_lifetime\": 604800, \"team_slug\": \"team-a\"}", TokenResponse.class);
        assertEquals(new TokenResponse("acc-SECRET", "ref-SECRET", 900, 604800, "team-a"), tokens);
        assertEquals("TokenResponse[access=<redacted>, refresh=<redacted>, access_lifetime=900, refresh_lifetime=604800, team_slug=team-a]",
                tokens.toString());

        WsTokenResponse ws = Json.read("{\"ws_token\": \"ws-SECRET\", \"expires_in\": 60}", WsTokenResponse.class);
        assertEquals("ws-SECRET", ws.wsToken());
        assertEquals("WsTokenResponse[ws_token=<redacted>, expires_in=60]", ws.toString());
        assertEquals("{\"ws_token\":\"ws-SECRET\",\"expires_in\":60}", Json.write(ws));
    }

    @Test
    void cursorsAreDenseDecimalSequences() {
        assertEquals(0, Cursor.parse(Cursor.START));
        assertEquals(0, Cursor.parse(null));
        assertEquals(0, Cursor.parse(""));
        assertEquals(42, Cursor.parse("42"));
        assertEquals("42", Cursor.of(42));
        assertTrue(Cursor.follows("0", "1"));
        assertTrue(Cursor.follows("41", "42"));
        assertFalse(Cursor.follows("41", "43"), "a gap: one event was missed");
        assertFalse(Cursor.follows("41", "41"), "a repeat is not a successor");
        assertFalse(Cursor.follows("41", "40"));
        for (String bad : List.of("-1", "abc", "1.5", "99999999999999999999")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cursor.parse(bad));
            assertEquals("cursor: '" + bad + "' (expected: a cursor returned by the server)", e.getMessage());
        }
    }

    @Test
    void apiPathsAndLimits() {
        assertEquals("/api/v1/token/", Api.TOKEN);
        assertEquals("/api/v1/token/refresh/", Api.TOKEN_REFRESH);
        assertEquals("/api/v1/ws-token/", Api.WS_TOKEN);
        assertEquals("/api/v1/events/batch/", Api.EVENTS_BATCH);
        assertEquals("/api/v1/events/", Api.EVENTS);
        assertEquals("/ws/v1/events/", Api.WEBSOCKET);
        assertEquals(1000, Api.MAX_BATCH_EVENTS);
        assertEquals(1000, Api.MAX_PULL_LIMIT);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
