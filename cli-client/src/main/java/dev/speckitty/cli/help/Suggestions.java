package dev.speckitty.cli.help;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * "Did you mean …?" for a mistyped word: the candidates within a small edit distance (a swap of two
 * neighbouring letters counts as one edit, so {@code snyc} is one away from {@code sync}), nearest
 * first, or those the word is a prefix of. Stateless.
 */
public final class Suggestions {
    /** Farther than this is a different word, not a typo. */
    private static final int MAX_DISTANCE = 2;

    private Suggestions() {
    }

    /** The candidates {@code word} is probably a typo of, best first; empty when none is close. */
    public static List<String> closest(String word, Collection<String> candidates) {
        List<String> close = new ArrayList<>();
        int best = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(word, c);
            if (d <= Math.min(MAX_DISTANCE, Math.max(1, c.length() / 3)) || (word.length() >= 2 && c.startsWith(word))) {
                close.add(c);
                best = Math.min(best, d);
            }
        }
        close.sort(Comparator.comparingInt(c -> distance(word, c)));
        int nearest = best;
        // Only the nearest ones: `deamon` is one swap from `daemon`, and `config` is no help there.
        return close.stream().filter(c -> distance(word, c) == nearest || c.startsWith(word)).toList();
    }

    /** Optimal string alignment distance (Levenshtein plus transpositions of adjacent letters). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
