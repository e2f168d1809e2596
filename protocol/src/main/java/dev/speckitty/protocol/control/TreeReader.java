package dev.speckitty.protocol.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;

/**
 * Databind's tree nodes built from jackson-core's streaming parser, the same nodes the databind codec
 * builds (ints, longs and big integers by size, floats as doubles), with a {@link Watch} told of each
 * value before it is built, which may refuse it ({@link EnqueueRequestReader}'s bounds).
 */
final class TreeReader {
    /** Told of each value, with its nesting (1 for a document's top), before it is built. */
    interface Watch {
        Watch NONE = (t, depth) -> { };

        void value(JsonToken t, int depth);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TreeReader() {
    }

    /** The value {@code t} starts, read to its end. */
    static JsonNode read(JsonParser p, JsonToken t, int depth, Watch watch) throws IOException {
        watch.value(t, depth);
        switch (t) {
            case START_OBJECT: {
                ObjectNode o = NODES.objectNode();
                for (JsonToken f = p.nextToken(); f == JsonToken.FIELD_NAME; f = p.nextToken()) {
                    String name = p.currentName();
                    o.set(name, read(p, p.nextToken(), depth + 1, watch));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = NODES.arrayNode();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    a.add(read(p, e, depth + 1, watch));
                }
                return a;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonException("malformed JSON: unexpected " + t + " at column " + p.currentLocation().getColumnNr(), null);
        }
    }
}
