package dev.speckitty.server.store;

import java.util.Locale;

/** What a token may be used for; a token of one kind is refused where another is expected. */
public enum TokenKind {
    ACCESS, REFRESH, WS;

    public String dbName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TokenKind fromDb(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
