package dev.speckitty.protocol.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.speckitty.protocol.control.SyncRequest;
import dev.speckitty.protocol.wire.PullPage;
import dev.speckitty.protocol.wire.TokenResponse;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared codec's rules: snake_case, unknown members ignored, lenient primitives, errors that say what failed. */
class JsonTest {
    record Sample(String camelCaseName, long someCount, boolean isOn, String nothing) {
    }

    @Test
    void namesAreSnakeCaseAndNullsAreWritten() {
        assertEquals("{\"camel_case_name\":\"x\",\"some_count\":3,\"is_on\":true,\"nothing\":null}",
                Json.write(new Sample("x", 3, true, null)));
    }

    @Test
    void memberTextReadsOneTopLevelMember() {
        String json = "{\"payload\":{\"aggregate_id\":\"inner\",\"a\":[1,{\"b\":2}]},\"aggregate_id\":\"WP01\",\"n\":7,\"z\":null}";
        assertEquals("WP01", Json.memberText(json, "aggregate_id"));
        assertEquals("7", Json.memberText(json, "n"));
        assertEquals(null, Json.memberText(json, "z"));
        assertEquals(null, Json.memberText(json, "payload"));
        assertEquals(null, Json.memberText(json, "missing"));
        assertEquals(null, Json.memberText("[1]", "aggregate_id"));
        assertEquals(null, Json.memberText("{\"a\": tru", "aggregate_id"));
        assertEquals(null, Json.memberText("", "aggregate_id"));
    }

    @Test
    void unknownMembersAreIgnored() {
        assertEquals(new Sample("x", 3, false, null), Json.read("{\"camel_case_name\":\"x\",\"some_count\":3,\"added_later\":[1,2]}", Sample.class));
    }

    @Test
    void missingOrNullPrimitivesTakeTheirDefault() {
        assertEquals(new SyncRequest(false, false), Json.read("{}", SyncRequest.class));
        assertEquals(new SyncRequest(true, false), Json.read("{\"verbose\": true, \"dry_run\": null}", SyncRequest.class));
        assertEquals(new PullPage(List.of(), "5", false), Json.read("{\"next_cursor\": \"5\"}", PullPage.class));
        assertEquals(0, Json.read("{\"access\": \"a\"}", TokenResponse.class).accessLifetime());
    }

    @Test
    void bytesAndStreamsReadTheSame() {
        byte[] bytes = Json.writeBytes(new Sample("ü", 1, true, null));
        assertEquals(new Sample("ü", 1, true, null), Json.read(bytes, Sample.class));
        assertEquals(new Sample("ü", 1, true, null), Json.read(new ByteArrayInputStream(bytes), Sample.class));
        assertEquals(Json.tree(new String(bytes, StandardCharsets.UTF_8)), Json.tree(bytes));
    }

    @Test
    void malformedInputNamesTheTargetType() {
        JsonException e = assertThrows(JsonException.class, () -> Json.read("{\"some_count\": \"many\"}", Sample.class));
        assertTrue(e.getMessage().startsWith("malformed JSON for Sample: "), e.getMessage());
        assertThrows(JsonException.class, () -> Json.read("{".getBytes(StandardCharsets.UTF_8), Sample.class));
        assertThrows(JsonException.class, () -> Json.read(new ByteArrayInputStream(new byte[] {'['}), Sample.class));
        assertTrue(assertThrows(JsonException.class, () -> Json.tree("{\"a\":")).getMessage().startsWith("malformed JSON: "));
    }
}
