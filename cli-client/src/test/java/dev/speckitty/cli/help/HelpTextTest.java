package dev.speckitty.cli.help;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpTextTest {
    private static final List<String> TOP = List.of("sync", "auth", "daemon", "events", "config", "version", "completion", "help");

    @Test
    void typosFindTheNearestCommandOnly() {
        assertEquals(List.of("sync"), Suggestions.closest("snyc", TOP));
        assertEquals(List.of("daemon"), Suggestions.closest("deamon", TOP));
        assertEquals(List.of("now"), Suggestions.closest("nwo", List.of("now", "status")));
        assertEquals(List.of("status"), Suggestions.closest("stauts", List.of("now", "status")));
        assertEquals(List.of("config"), Suggestions.closest("conf", TOP), "a prefix is a suggestion too");
        assertEquals(List.of(), Suggestions.closest("frobnicate", TOP));
        assertEquals(List.of(), Suggestions.closest("x", TOP), "one letter is no typo of anything");
    }

    @Test
    void distanceCountsASwapAsOneEdit() {
        assertEquals(1, Suggestions.distance("snyc", "sync"));
        assertEquals(1, Suggestions.distance("syn", "sync"));
        assertEquals(2, Suggestions.distance("snyx", "sync"));
        assertEquals(0, Suggestions.distance("sync", "sync"));
    }

    @Test
    void wrappingBreaksAtSpacesOnlyAndKeepsLongWordsWhole() {
        String text = "Record one event in the local queue (through the daemon, or straight into queue.db when it is not running).";
        String wrapped = HelpLayout.wrap(text, 2, 40);
        for (String line : wrapped.split("\n")) {
            assertTrue(line.length() <= 40, line);
            assertTrue(line.startsWith("  ") && !line.startsWith("   "), line);
        }
        assertTrue(wrapped.contains("queue.db"), wrapped);
        assertEquals(text, String.join(" ", wrapped.trim().split("\\s+")), "no word lost or split");
        String json = HelpLayout.wrap("e.g. '{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}' as one word", 0, 30);
        assertTrue(json.contains("'{\"wp_id\":\"WP01\",\"from_lane\":\"planned\",\"to_lane\":\"in_progress\"}'"), json);
    }

    @Test
    void theCommandListTakesTheFirstSentenceNotAnAbbreviation() {
        assertEquals("Show the help of a command, e.g. `spec-kitty help sync now`.",
                HelpLayout.firstSentence("Show the help of a command, e.g. `spec-kitty help sync now`."));
        assertEquals("Push events.", HelpLayout.firstSentence("Push events. Then pull."));
    }
}
