package dev.speckitty.protocol.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Pattern;

/**
 * The schema generations an event can belong to. An envelope without {@code schema_version} is of
 * spec-kitty 2.x; one with a {@code schema_version} of the form 3.x.y is of 3.x (3.2.5 sends 3.0.0).
 */
public enum Generation {
    V2("2.x"),
    V3("3.x");

    /** The {@code schema_version} values of generation 3. */
    static final Pattern V3_VERSION = Pattern.compile("3\\.\\d{1,4}\\.\\d{1,4}");
    /** The {@code schema_version} our emitter writes for generation 3, as spec-kitty 3.2.5 does. */
    public static final String V3_SCHEMA_VERSION = "3.0.0";

    private final String label;

    Generation(String label) {
        this.label = label;
    }

    /** "2.x" or "3.x", for messages and documentation. */
    public String label() {
        return label;
    }

    /** This generation's table. */
    public GenerationRules rules() {
        return this == V2 ? Generation2Rules.TABLE : Generation3Rules.TABLE;
    }

    /**
     * The generation of an envelope (a JSON object), or a {@link Violation} of {@code schema_version}
     * saying why it has none this code knows.
     */
    static Object of(JsonNode event) {
        JsonNode version = event.get("schema_version");
        if (version == null) {
            return V2;
        }
        if (version.isTextual() && V3_VERSION.matcher(version.asText()).matches()) {
            return V3;
        }
        String got = version.isTextual() ? "'" + clip(version.asText()) + "'" : version.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return new Violation("schema_version", got + " is not a schema generation this server knows (expected: absent for a 2.x "
                + "event, or 3.<minor>.<patch> such as " + V3_SCHEMA_VERSION + " for a 3.x event)");
    }

    private static String clip(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
