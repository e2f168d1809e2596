package dev.speckitty.protocol.event;

import java.util.List;
import java.util.stream.Collectors;

/** An event that breaks the envelope or payload rules; carries every problem found, not just the first. */
public final class InvalidEventException extends RuntimeException {
    private final List<Violation> violations;

    public InvalidEventException(List<Violation> violations) {
        super(summary(violations));
        this.violations = List.copyOf(violations);
    }

    /** Every rule the event breaks, in field order. */
    public List<Violation> violations() {
        return violations;
    }

    /** All violations on one line, separated by semicolons. */
    public static String summary(List<Violation> violations) {
        return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
    }
}
