package dev.speckitty.protocol.event;

import java.util.regex.Pattern;

/** The string shapes the protocol knows, shared by validation and by anything that builds events. */
public final class Patterns {
    /** A work package id: {@code WP} and two digits. */
    public static final Pattern WP_ID = Pattern.compile("WP\\d{2}");
    /** A feature slug: three digits, a dash, lowercase words. */
    public static final Pattern FEATURE_SLUG = Pattern.compile("\\d{3}-[a-z0-9-]+");
    /** A feature number: three digits. */
    public static final Pattern FEATURE_NUMBER = Pattern.compile("\\d{3}");
    /** A SHA-256 hash as 64 lowercase hex digits. */
    public static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    /** A git commit SHA: 40 (SHA-1) or 64 (SHA-256) lowercase hex digits. */
    public static final Pattern GIT_SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    /** A canonical UUID, any version, either case. */
    public static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** A ULID: 26 Crockford base32 characters, the first at most 7 (128 bits). */
    public static final Pattern ULID = Pattern.compile("[0-7][0-9A-HJKMNP-TV-Z]{25}");
    /** A node id: 1 to 64 letters, digits, dashes or underscores (the Python tool uses 12 lowercase hex). */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A team slug: lowercase letters, digits and dashes, 1 to 64 characters. */
    public static final Pattern TEAM_SLUG = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** A UUID without dashes: 32 hex digits (3.x accepts it as an event id). */
    public static final Pattern UUID_HEX = Pattern.compile("[0-9a-fA-F]{32}");
    /** Lowercase hex digits, any number of them (a 3.x {@code content_ref.hash}). */
    public static final Pattern HEX = Pattern.compile("[0-9a-f]+");
    /**
     * A 3.x mission slug: a feature slug ({@code 001-offline-sync}), or kebab-case words ending in a
     * dash and 8 Crockford base32 characters ({@code offline-sync-01kat0v6}).
     */
    public static final Pattern MISSION_SLUG = Pattern.compile(
            "\\d{3}-[a-z0-9-]+|[a-z0-9]+(?:-[a-z0-9]+)*-[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{8}");

    private static final boolean[] HEX_LOWER = chars("0-9a-f");
    private static final boolean[] HEX_ANY = chars("0-9a-fA-F");
    private static final boolean[] CROCKFORD = chars("0-9A-HJKMNP-TV-Z");
    private static final boolean[] NODE_CHARS = chars("A-Za-z0-9_-");
    private static final boolean[] SLUG_FIRST = chars("a-z0-9");
    private static final boolean[] SLUG_REST = chars("a-z0-9_-");

    private Patterns() {
    }

    /**
     * Whether all of {@code text} matches {@code pattern}. The shapes every envelope carries (ULID,
     * UUID, node id, team slug, git SHA, work package id) are checked by hand; a regex match for each
     * was a sixth of the time of validating an event. Any other pattern goes to its regex.
     * {@code PatternsTest} holds each hand check to its regex.
     */
    public static boolean matches(Pattern pattern, String text) {
        if (pattern == ULID) {
            return text.length() == 26 && text.charAt(0) >= '0' && text.charAt(0) <= '7' && all(text, 1, 26, CROCKFORD);
        }
        if (pattern == UUID) {
            return text.length() == 36 && text.charAt(8) == '-' && text.charAt(13) == '-' && text.charAt(18) == '-'
                    && text.charAt(23) == '-' && all(text, 0, 8, HEX_ANY) && all(text, 9, 13, HEX_ANY)
                    && all(text, 14, 18, HEX_ANY) && all(text, 19, 23, HEX_ANY) && all(text, 24, 36, HEX_ANY);
        }
        if (pattern == NODE_ID) {
            return text.length() >= 1 && text.length() <= 64 && all(text, 0, text.length(), NODE_CHARS);
        }
        if (pattern == TEAM_SLUG) {
            return text.length() >= 1 && text.length() <= 64 && all(text, 0, 1, SLUG_FIRST) && all(text, 1, text.length(), SLUG_REST);
        }
        if (pattern == GIT_SHA) {
            return (text.length() == 40 || text.length() == 64) && all(text, 0, text.length(), HEX_LOWER);
        }
        if (pattern == WP_ID) {
            return text.length() == 4 && text.startsWith("WP") && digit(text.charAt(2)) && digit(text.charAt(3));
        }
        return pattern.matcher(text).matches();
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean all(String text, int from, int to, boolean[] allowed) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c >= allowed.length || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    /** The ASCII characters of a class written as in a regex, of single characters and ranges ({@code a-z0-9_-}). */
    private static boolean[] chars(String ranges) {
        boolean[] allowed = new boolean[128];
        for (int i = 0; i < ranges.length(); i++) {
            char from = ranges.charAt(i);
            char to = from;
            if (i + 2 < ranges.length() && ranges.charAt(i + 1) == '-') {
                to = ranges.charAt(i + 2);
                i += 2;
            }
            for (char c = from; c <= to; c++) {
                allowed[c] = true;
            }
        }
        return allowed;
    }
}
