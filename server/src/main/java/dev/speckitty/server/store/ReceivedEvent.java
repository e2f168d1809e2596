package dev.speckitty.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Json;
import java.util.Optional;

/**
 * An event as it arrived: its tree, which is validated, and its JSON text, which is what gets stored
 * and served (never a re-encoding of the tree): the exact slice of the batch body when it came in a
 * batch, or the compact encoding of the tree, members in the order sent, when it came another way.
 * {@code unreadable} says why the text has no tree (e.g. a member name given twice); the event is
 * then refused with that reason.
 */
public record ReceivedEvent(JsonNode tree, String json, Optional<String> unreadable) {
    /** An event without source text of its own: its text is the compact encoding of {@code tree}. */
    public static ReceivedEvent of(JsonNode tree) {
        return new ReceivedEvent(tree, tree == null ? "null" : Json.write(tree), Optional.empty());
    }

    /** An event read from {@code json}. */
    public static ReceivedEvent parsed(JsonNode tree, String json) {
        return new ReceivedEvent(tree, json, Optional.empty());
    }

    /** An event whose text cannot be read as one JSON object, for {@code reason}. */
    public static ReceivedEvent unreadable(String json, String reason) {
        return new ReceivedEvent(null, json, Optional.of(reason));
    }
}
