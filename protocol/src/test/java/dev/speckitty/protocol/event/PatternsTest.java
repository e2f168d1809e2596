package dev.speckitty.protocol.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Each hand-written check of {@link Patterns#matches} says what its regex says, on strings near and far from the shape. */
class PatternsTest {
    /** Every class boundary of the shapes, both cases, separators, and characters past ASCII. */
    private static final String ALPHABET = "0123456789/:@`{abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_ .IiLlOoUu\u00e9\u0660\u00aa\u212a";
    private static final List<Pattern> HAND_CHECKED = List.of(Patterns.ULID, Patterns.UUID, Patterns.NODE_ID,
            Patterns.TEAM_SLUG, Patterns.GIT_SHA, Patterns.WP_ID);

    @Test
    void eachHandCheckAgreesWithItsRegex() {
        Random random = new Random(20261207);
        for (Pattern p : HAND_CHECKED) {
            int matched = 0;
            for (int i = 0; i < 40_000; i++) {
                String s = mutate(sample(p, random), random);
                boolean expected = p.matcher(s).matches();
                assertEquals(expected, Patterns.matches(p, s), () -> p.pattern() + " on '" + s + "'");
                matched += expected ? 1 : 0;
            }
            assertTrue(matched > 1_000, p.pattern() + ": too few matching samples (" + matched + ") to test it");
        }
    }

    @Test
    void realValues() {
        assertTrue(Patterns.matches(Patterns.ULID, "01KAT0V6J8Q5R9S1T2V3W4X5Y6"));
        assertTrue(Patterns.matches(Patterns.UUID, "6f1c0a52-2f5e-4a8e-9d1e-0c3c6b1f2a11"));
        assertTrue(Patterns.matches(Patterns.NODE_ID, "b805cd5cee74"));
        assertTrue(Patterns.matches(Patterns.TEAM_SLUG, "team-a"));
        assertTrue(Patterns.matches(Patterns.GIT_SHA, "0123456789abcdef0123456789abcdef01234567"));
        assertTrue(Patterns.matches(Patterns.WP_ID, "WP01"));
        assertTrue(!Patterns.matches(Patterns.ULID, "81KAT0V6J8Q5R9S1T2V3W4X5Y6"), "past 128 bits");
        assertTrue(!Patterns.matches(Patterns.WP_ID, "WP\u0660\u0661"), "Arabic-Indic digits are not \\d");
        assertTrue(!Patterns.matches(Patterns.TEAM_SLUG, "-team"));
        assertTrue(!Patterns.matches(Patterns.NODE_ID, ""));
    }

    /** A string of the shape (most of the time), of a length at or near its bounds. */
    private static String sample(Pattern p, Random r) {
        String wanted;
        if (p == Patterns.ULID) {
            wanted = (char) ('0' + r.nextInt(9)) + chars("0123456789ABCDEFGHJKMNPQRSTVWXYZ", 25, r);
        } else if (p == Patterns.UUID) {
            String hex = "0123456789abcdefABCDEF";
            wanted = chars(hex, 8, r) + "-" + chars(hex, 4, r) + "-" + chars(hex, 4, r) + "-" + chars(hex, 4, r) + "-" + chars(hex, 12, r);
        } else if (p == Patterns.NODE_ID) {
            wanted = chars("abcXYZ019_-", new int[] {0, 1, 2, 12, 63, 64, 65}[r.nextInt(7)], r);
        } else if (p == Patterns.TEAM_SLUG) {
            wanted = chars("az09-_", new int[] {0, 1, 2, 7, 63, 64, 65}[r.nextInt(7)], r);
        } else if (p == Patterns.GIT_SHA) {
            wanted = chars("0123456789abcdef", new int[] {39, 40, 41, 63, 64, 65}[r.nextInt(6)], r);
        } else {
            wanted = "WP" + chars("0123456789", 1 + r.nextInt(3), r);
        }
        return wanted;
    }

    /** Sometimes one character replaced by any of {@link #ALPHABET}, or one dropped or added. */
    private static String mutate(String s, Random r) {
        int kind = r.nextInt(4);
        if (kind == 0 || s.isEmpty()) {
            return s;
        }
        int at = r.nextInt(s.length());
        char c = ALPHABET.charAt(r.nextInt(ALPHABET.length()));
        return switch (kind) {
            case 1 -> s.substring(0, at) + c + s.substring(at + 1);
            case 2 -> s.substring(0, at) + s.substring(at + 1);
            default -> s.substring(0, at) + c + s.substring(at);
        };
    }

    private static String chars(String from, int n, Random r) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(from.charAt(r.nextInt(from.length())));
        }
        return b.toString();
    }
}
