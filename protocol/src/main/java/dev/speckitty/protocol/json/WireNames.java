package dev.speckitty.protocol.json;

import java.util.Locale;

/**
 * How the protocol's closed sets are named on the wire: the constant's name in lower case
 * ({@code AUTH_REQUIRED} is {@code "auth_required"}). One place for the name and for reading it
 * back, strictly (a set both sides must agree on) or leniently (a set a newer peer may extend).
 */
public final class WireNames {
    private WireNames() {
    }

    /** The wire name of {@code constant}. */
    public static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant named {@code wire}; an unknown name is an {@link IllegalArgumentException}. */
    public static <E extends Enum<E>> E strict(Class<E> type, String wire) {
        return Enum.valueOf(type, wire.toUpperCase(Locale.ROOT));
    }

    /** The constant named {@code wire}, {@code unknown} for a name this version does not know, null for null. */
    public static <E extends Enum<E>> E lenient(Class<E> type, String wire, E unknown) {
        if (wire == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (of(constant).equals(wire)) {
                return constant;
            }
        }
        return unknown;
    }
}
