package dev.speckitty.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one JSON codec of the project: snake_case field names, unknown fields ignored, nulls kept,
 * missing or null primitives read as their default (0, false).
 * Thread-safe; every module uses it instead of configuring its own mapper.
 */
public final class Json {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            // With records a missing member reaches the constructor as null, so this feature made
            // {"dry_run": true} fail for SyncRequest ("Cannot map `null` into type `boolean`").
            // Absent or null primitives take their default; events are checked by EventValidator.
            .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private Json() {
    }

    /** The shared mapper, for streaming use; do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Serializes a value to compact JSON text. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new JsonException("cannot encode " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Serializes a value to compact JSON as UTF-8 bytes. */
    public static byte[] writeBytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new JsonException("cannot encode " + value.getClass().getSimpleName() + " as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON text into the given type. */
    public static <T> T read(String json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JsonException("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }

    /** Parses JSON bytes into the given type. */
    public static <T> T read(byte[] json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new JsonException("malformed JSON for " + type.getSimpleName() + ": " + message(e), e);
        }
    }

    /** Parses JSON from a stream into the given type; the caller closes the stream. */
    public static <T> T read(InputStream json, Class<T> type) {
        try {
            return MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new JsonException("malformed JSON for " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses JSON text into a tree. */
    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new JsonException("malformed JSON: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The text of one top-level member of a JSON object, read with the streaming parser up to that
     * member only; null when the member is missing, null, not a scalar, or the text is not an object.
     * For display fields of stored events (e.g. {@code aggregate_id}), where a tree is wasted work.
     */
    public static String memberText(String json, String member) {
        try (JsonParser p = MAPPER.getFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(member)) {
                    return value.isScalarValue() && value != JsonToken.VALUE_NULL ? p.getText() : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Parses JSON bytes into a tree. */
    public static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new JsonException("malformed JSON: " + message(e), e);
        }
    }

    /**
     * {@link #tree(byte[])} for input that must be read exactly: bytes that are not well-formed UTF-8
     * (which Jackson would read as something else) become {@link Utf8#MALFORMED}, a lone surrogate,
     * inside the string they appear in, so {@code EventValidator} refuses the one event that holds
     * them; outside a string they make the JSON malformed. Well-formed input is parsed as bytes.
     */
    public static JsonNode treeMarkingMalformedUtf8(byte[] json) {
        return Utf8.isWellFormed(json) ? tree(json) : tree(Utf8.decodeMarkingMalformed(json));
    }

    /** Converts a tree or object into the given type. */
    public static <T> T convert(Object value, Class<T> type) {
        try {
            return MAPPER.convertValue(value, type);
        } catch (IllegalArgumentException e) {
            throw new JsonException("cannot read " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** Converts an object into a JSON tree. */
    public static JsonNode toTree(Object value) {
        return MAPPER.valueToTree(value);
    }

    /** A new empty JSON object. */
    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    private static String message(IOException e) {
        return e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
    }
}
