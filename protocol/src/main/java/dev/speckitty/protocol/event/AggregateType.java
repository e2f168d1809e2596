package dev.speckitty.protocol.event;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What an event is about; the wire name is the exact string in {@code aggregate_type}. */
public enum AggregateType {
    WORK_PACKAGE("WorkPackage"),
    FEATURE("Feature"),
    MISSION_DOSSIER("MissionDossier");

    private final String wireName;

    AggregateType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The aggregate type with this wire name, if any. */
    public static Optional<AggregateType> fromWire(String name) {
        return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
    }

    /** All wire names, for help text and error messages. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(AggregateType::wireName).toList();
    }
}
