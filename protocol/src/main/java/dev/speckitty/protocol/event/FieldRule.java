package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.local.Timestamps;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A rule for one JSON value. Returns the problem as a sentence, or empty when the value is fine.
 * Rules are stateless and shared.
 */
@FunctionalInterface
public interface FieldRule {
    /** Checks a present, non-null value. */
    Optional<String> check(JsonNode value);

    /** Any non-empty string. */
    static FieldRule text() {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of("must be a string (got " + kind(v) + ")");
            }
            return v.asText().isBlank() ? Optional.of("must not be empty") : Optional.empty();
        };
    }

    /** Any string, empty included (the reference's {@code s?} when it holds a value). */
    static FieldRule string() {
        return v -> v.isTextual() ? Optional.empty() : Optional.of("must be a string (got " + kind(v) + ")");
    }

    /** A string of at least one character; blank text is allowed (the reference's {@code s}). */
    static FieldRule nonEmpty() {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of("must be a string (got " + kind(v) + ")");
            }
            return v.asText().isEmpty() ? Optional.of("must not be empty") : Optional.empty();
        };
    }

    /** Exactly this string. */
    static FieldRule constant(String expected) {
        return v -> v.isTextual() && v.asText().equals(expected) ? Optional.empty()
                : Optional.of((v.isTextual() ? "'" + clip(v.asText()) + "'" : kind(v)) + " (expected: \"" + expected + "\")");
    }

    /** {@code true} or {@code false}. */
    static FieldRule bool() {
        return v -> v.isBoolean() ? Optional.empty() : Optional.of("must be true or false (got " + kind(v) + ")");
    }

    /** An integer ≥ {@code min}. */
    static FieldRule intAtLeast(long min) {
        return v -> {
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                return Optional.of("must be an integer >= " + min + " (got " + (v.isIntegralNumber() ? clip(v.asText()) : kind(v)) + ")");
            }
            return v.asLong() < min ? Optional.of(v.asLong() + " (expected: >= " + min + ")") : Optional.empty();
        };
    }

    /** A number (integer or decimal) in {@code min..max}. */
    static FieldRule numberIn(double min, double max) {
        return v -> {
            if (!v.isNumber()) {
                return Optional.of("must be a number in " + min + ".." + max + " (got " + kind(v) + ")");
            }
            double d = v.asDouble();
            return d >= min && d <= max ? Optional.empty() : Optional.of(clip(v.asText()) + " (expected: " + min + ".." + max + ")");
        };
    }

    /**
     * An object whose members follow {@code fields}; with {@code closed}, a member not among them is
     * refused (the reference's sub-objects with "no extra keys"). The first problem is reported.
     */
    static FieldRule members(List<PayloadField> fields, boolean closed) {
        return v -> {
            if (!v.isObject()) {
                return Optional.of("must be an object (got " + kind(v) + ")");
            }
            for (PayloadField f : fields) {
                JsonNode m = v.get(f.name());
                if (m == null || (m.isNull() && f.presence() != PayloadField.Presence.REQUIRED_NULLABLE)) {
                    if (f.required()) {
                        return Optional.of("member " + f.name() + (m == null ? " is required" : " must not be null"));
                    }
                    continue;
                }
                if (m.isNull()) {
                    continue;
                }
                Optional<String> problem = f.rule().check(m);
                if (problem.isPresent()) {
                    return Optional.of("member " + f.name() + ": " + problem.get());
                }
            }
            if (closed) {
                for (String name : (Iterable<String>) v::fieldNames) {
                    if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                        return Optional.of("member '" + clip(name) + "' is not allowed (expected only: "
                                + String.join(", ", fields.stream().map(PayloadField::name).toList()) + ")");
                    }
                }
            }
            return Optional.empty();
        };
    }

    /** A list of at most {@code max} elements, each passing {@code element}. */
    static FieldRule listOf(FieldRule element, int max) {
        FieldRule each = listOf(element);
        return v -> v.isArray() && v.size() > max
                ? Optional.of(v.size() + " elements (expected: at most " + max + ")")
                : each.check(v);
    }

    /** A string of at most {@code max} characters (code points). */
    static FieldRule maxChars(int max) {
        return v -> v.isTextual() && v.asText().codePointCount(0, v.asText().length()) > max
                ? Optional.of(v.asText().codePointCount(0, v.asText().length()) + " characters (expected: at most " + max + ")")
                : Optional.empty();
    }

    /** A value whose compact JSON is at most {@code max} bytes of UTF-8. */
    static FieldRule compactJsonAtMost(int max) {
        return v -> {
            long n = dev.speckitty.protocol.json.Utf8.length(v.toString());
            return n > max ? Optional.of(n + " bytes as compact JSON (expected: at most " + max + ")") : Optional.empty();
        };
    }

    /** Both rules pass; the first problem is shown. */
    default FieldRule and(FieldRule other) {
        return v -> {
            Optional<String> first = check(v);
            return first.isPresent() ? first : other.check(v);
        };
    }

    /** A string matching the pattern; {@code example} is shown in the error. */
    static FieldRule matching(Pattern pattern, String example) {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of("must be a string like " + example + " (got " + kind(v) + ")");
            }
            return Patterns.matches(pattern, v.asText())
                    ? Optional.empty()
                    : Optional.of("'" + clip(v.asText()) + "' does not match " + pattern.pattern() + " (expected: like " + example + ")");
        };
    }

    /** A string that is one of the allowed values. */
    static FieldRule oneOf(List<String> allowed) {
        return v -> {
            if (v.isTextual() && allowed.contains(v.asText())) {
                return Optional.empty();
            }
            String got = v.isTextual() ? "'" + clip(v.asText()) + "'" : kind(v);
            return Optional.of(got + " is not allowed (expected one of: " + String.join(", ", allowed) + ")");
        };
    }

    /** An integer ≥ 0. */
    static FieldRule nonNegativeInt() {
        return v -> {
            if (!v.isIntegralNumber()) {
                return Optional.of("must be an integer >= 0 (got " + kind(v) + ")");
            }
            if (!v.canConvertToLong()) {
                // asLong() would wrap silently; refuse instead of accepting a value we cannot store.
                return Optional.of(clip(v.asText()) + " (expected: 0.." + Long.MAX_VALUE + ")");
            }
            return v.asLong() < 0 ? Optional.of(v.asLong() + " (expected: >= 0)") : Optional.empty();
        };
    }

    /** A JSON object. */
    static FieldRule object() {
        return v -> v.isObject() ? Optional.empty() : Optional.of("must be an object (got " + kind(v) + ")");
    }

    /** A number (integer or decimal) ≥ 0, e.g. a duration in seconds. */
    static FieldRule nonNegativeNumber() {
        return v -> {
            if (!v.isNumber()) {
                return Optional.of("must be a number >= 0 (got " + kind(v) + ")");
            }
            return v.asDouble() < 0 ? Optional.of(v.asText() + " (expected: >= 0)") : Optional.empty();
        };
    }

    /** A list whose every element passes {@code element}. */
    static FieldRule listOf(FieldRule element) {
        return v -> {
            if (!v.isArray()) {
                return Optional.of("must be a list (got " + kind(v) + ")");
            }
            for (int i = 0; i < v.size(); i++) {
                Optional<String> problem = element.check(v.get(i));
                if (problem.isPresent()) {
                    return Optional.of("[" + i + "] " + problem.get());
                }
            }
            return Optional.empty();
        };
    }

    /**
     * An ISO-8601 date-time with an offset, e.g. {@code 2026-11-24T10:00:00+00:00}, in the years of
     * {@link EventLimits}; {@code -00:00} (RFC 3339's "offset unknown") is refused.
     */
    static FieldRule isoTimestamp() {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of(notATimestampString(v));
            }
            OffsetDateTime t = parseTimestamp(v.asText());
            return t == null ? Optional.of(notATimestamp(v.asText())) : outOfBounds(v.asText(), t);
        };
    }

    /** An ISO-8601 date-time in UTC (offset {@code Z} or {@code +00:00}); parsed once. */
    static FieldRule utcTimestamp() {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of(notATimestampString(v));
            }
            OffsetDateTime t = parseTimestamp(v.asText());
            if (t == null) {
                return Optional.of(notATimestamp(v.asText()));
            }
            if (t.getOffset().getTotalSeconds() != 0 || unknownOffset(v.asText())) {
                return Optional.of("'" + clip(v.asText()) + "' is not UTC (expected: offset Z or +00:00)");
            }
            return outOfBounds(v.asText(), t);
        };
    }

    /** The years of {@link EventLimits} (checked both as written and in UTC), and no {@code -00:00} offset. */
    private static Optional<String> outOfBounds(String text, OffsetDateTime t) {
        int utcYear = t.toInstant().atOffset(java.time.ZoneOffset.UTC).getYear();
        if (Math.min(t.getYear(), utcYear) < EventLimits.MIN_YEAR || Math.max(t.getYear(), utcYear) > EventLimits.MAX_YEAR) {
            return Optional.of("'" + clip(text) + "' (expected: a year in " + EventLimits.MIN_YEAR + ".." + EventLimits.MAX_YEAR + ")");
        }
        if (unknownOffset(text)) {
            return Optional.of("'" + clip(text) + "' has the offset -00:00, which means unknown (expected: a known offset such as +00:00)");
        }
        return Optional.empty();
    }

    /** RFC 3339's {@code -00:00}: the time is UTC but the local offset is unknown; a parser reads it as +00:00. */
    private static boolean unknownOffset(String text) {
        return text.endsWith("-00:00") || text.endsWith("-00:00:00");
    }

    private static OffsetDateTime parseTimestamp(String text) {
        try {
            return Timestamps.parseOffset(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String notATimestampString(JsonNode v) {
        return "must be an ISO-8601 timestamp string (got " + kind(v) + ")";
    }

    private static String notATimestamp(String text) {
        return "'" + clip(text) + "' " + (isLocalDateTime(text) ? "has no UTC offset" : "is not an ISO-8601 timestamp")
                + " (expected: like 2026-11-24T10:00:00+00:00)";
    }

    /** Either rule passes; the message of the second is shown otherwise. */
    default FieldRule or(FieldRule other) {
        return v -> check(v).isEmpty() ? Optional.empty() : other.check(v);
    }

    private static boolean isLocalDateTime(String text) {
        try {
            LocalDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String kind(JsonNode v) {
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
