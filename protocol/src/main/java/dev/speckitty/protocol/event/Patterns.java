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

    private Patterns() {
    }
}
