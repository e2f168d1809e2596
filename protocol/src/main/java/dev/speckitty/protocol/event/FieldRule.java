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

    /** A string matching the pattern; {@code example} is shown in the error. */
    static FieldRule matching(Pattern pattern, String example) {
        return v -> {
            if (!v.isTextual()) {
                return Optional.of("must be a string like " + example + " (got " + kind(v) + ")");
            }
            return pattern.matcher(v.asText()).matches()
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
