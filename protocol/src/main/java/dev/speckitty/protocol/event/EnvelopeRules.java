package dev.speckitty.protocol.event;

import static dev.speckitty.protocol.event.FieldRule.matching;
import static dev.speckitty.protocol.event.FieldRule.nonNegativeInt;

import java.util.Optional;

/** Envelope rules both generations use. Stateless. */
final class EnvelopeRules {
    private EnvelopeRules() {
    }

    /** An integer in {@code min..}{@link EventLimits#MAX_LAMPORT_CLOCK}. */
    static FieldRule lamportClock(long min) {
        FieldRule integer = nonNegativeInt();
        return v -> integer.check(v).or(() -> v.asLong() < min || v.asLong() > EventLimits.MAX_LAMPORT_CLOCK
                ? Optional.of(v.asLong() + " (expected: " + min + ".." + EventLimits.MAX_LAMPORT_CLOCK + ")")
                : Optional.empty());
    }

    /** The Python tool links events by ULID, older ones by UUID; both are accepted. */
    static FieldRule ulidOrUuid() {
        FieldRule either = matching(Patterns.ULID, "a ULID").or(matching(Patterns.UUID, "a UUID"));
        return v -> either.check(v).isEmpty()
                ? Optional.empty()
                : Optional.of((v.isTextual() ? "'" + clip(v.asText()) + "' is neither a ULID nor a UUID"
                                : "must be a string (got " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")")
                        + " (expected: like 01KAT0V6J8Q5R9S1T2V3W4X5Y6 or 6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11)");
    }

    static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
