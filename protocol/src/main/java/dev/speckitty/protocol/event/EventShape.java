package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.json.Utf8;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The checks on an event as a whole, in one walk of its tree: its size as compact UTF-8 JSON (counted
 * as Jackson writes it: control characters, {@code "} and {@code \} escaped, everything else raw), its
 * nesting depth, and text that cannot be stored exactly (U+0000, which PostgreSQL TEXT cannot hold,
 * and a lone surrogate, which no UTF-8 encoder writes back unchanged; a reader that marks bytes that
 * were not UTF-8 with one, as {@code Json.treeMarkingMalformedUtf8} does, has them refused here too).
 * Levels below {@link EventLimits#MAX_DEPTH} are not visited, so the walk's own depth is bounded.
 * One instance per walk; not shared.
 */
final class EventShape {
    private long bytes;
    private int deepest;
    private Violation text;
    /** Member names (String) and element indexes (Integer) from the envelope down to the value being visited. */
    private final ArrayDeque<Object> path = new ArrayDeque<>();

    private EventShape() {
    }

    /** Adds the event-wide violations of {@code event} (a JSON object) to {@code out}. */
    static void check(JsonNode event, List<Violation> out) {
        EventShape shape = new EventShape();
        shape.value(event, 1);
        if (shape.bytes > EventLimits.MAX_EVENT_BYTES) {
            out.add(new Violation("event", shape.bytes + " bytes as compact UTF-8 JSON (expected: at most "
                    + EventLimits.MAX_EVENT_BYTES + ")"));
        }
        if (shape.deepest > EventLimits.MAX_DEPTH) {
            out.add(new Violation("event", "objects and arrays nested more than " + EventLimits.MAX_DEPTH
                    + " levels deep (expected: at most " + EventLimits.MAX_DEPTH + ", the envelope being level 1)"));
        }
        if (shape.text != null) {
            out.add(shape.text);
        }
    }

    private void value(JsonNode v, int depth) {
        switch (v.getNodeType()) {
            case OBJECT -> object(v, depth);
            case ARRAY -> array(v, depth);
            case STRING -> bytes += text(v.textValue(), false);
            case NUMBER -> bytes += v.isInt() || v.isLong() ? digits(v.longValue()) : v.asText().length();
            case BOOLEAN -> bytes += v.booleanValue() ? 4 : 5;
            default -> bytes += 4; // null (binary and POJO nodes never come out of a parser)
        }
    }

    private void object(JsonNode v, int depth) {
        if (enter(depth)) {
            bytes += 2 + Math.max(0, v.size() - 1); // braces and commas
            for (Map.Entry<String, JsonNode> member : v.properties()) {
                path.addLast(member.getKey());
                bytes += text(member.getKey(), true) + 1; // the name and its colon
                value(member.getValue(), depth + 1);
                path.removeLast();
            }
        }
    }

    private void array(JsonNode v, int depth) {
        if (enter(depth)) {
            bytes += 2 + Math.max(0, v.size() - 1);
            for (int i = 0; i < v.size(); i++) {
                path.addLast(i);
                value(v.get(i), depth + 1);
                path.removeLast();
            }
        }
    }

    /** Records a container at {@code depth}; false when it is past the limit and is not visited. */
    private boolean enter(int depth) {
        deepest = Math.max(deepest, depth);
        return depth <= EventLimits.MAX_DEPTH;
    }

    /** The encoded size of a string with its quotes; notes the first character that cannot be stored. */
    private long text(String s, boolean memberName) {
        long n = 2 + Utf8.length(s); // the quotes, then each escape's extra characters below
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20) {
                n += c == '\b' || c == '\t' || c == '\n' || c == '\f' || c == '\r' ? 1 : 5;
                if (c == 0) {
                    problem(memberName, i, "contains U+0000", "text without NUL characters, which cannot be stored");
                }
            } else if (c == '"' || c == '\\') {
                n++;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                problem(memberName, i, "is not valid Unicode (a lone surrogate such as \\ud800, or bytes that are not UTF-8)",
                        "well-formed text, which is stored exactly as sent");
            }
        }
        return n;
    }

    private void problem(boolean memberName, int at, String what, String expected) {
        if (text == null) {
            String field = pathText(memberName);
            text = new Violation(field, (memberName ? "a member name " : "") + what + " at character " + at
                    + " (expected: " + expected + ")");
        }
    }

    /** The dotted path of the value being visited (its parent's, for a member name). */
    private String pathText(boolean memberName) {
        StringBuilder out = new StringBuilder();
        int n = memberName ? path.size() - 1 : path.size();
        Iterator<Object> it = path.iterator();
        for (int i = 0; i < n; i++) {
            Object step = it.next();
            if (step instanceof Integer index) {
                out.append('[').append(index).append(']');
            } else {
                if (out.length() > 0) {
                    out.append('.');
                }
                out.append(printable((String) step));
            }
        }
        return out.length() == 0 ? "event" : out.toString();
    }

    /** A member name as it may appear in a message: control and surrogate characters as \\uXXXX, clipped. */
    private static String printable(String name) {
        StringBuilder out = new StringBuilder(Math.min(name.length(), 64));
        int i = 0;
        for (; i < name.length() && out.length() < 60; i++) {
            char c = name.charAt(i);
            if (c < 0x20 || Character.isSurrogate(c)) {
                out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return i < name.length() ? out + "..." : out.toString();
    }

    private static int digits(long v) {
        if (v == Long.MIN_VALUE) {
            return 20;
        }
        int n = v < 0 ? 2 : 1;
        for (long a = Math.abs(v); a >= 10; a /= 10) {
            n++;
        }
        return n;
    }
}
