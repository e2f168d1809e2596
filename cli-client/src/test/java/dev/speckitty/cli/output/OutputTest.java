package dev.speckitty.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OutputTest {
    @Test
    void progressBarRedrawsInPlaceAndClearsItself() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), true);
        bar.update("push", 5, 10);
        bar.update("push", 5, 10); // unchanged: not redrawn
        bar.update("pull", 3, 0);
        bar.clear();
        String drawn = "push    [===============               ] 5/10";
        String pull = "pull    3 events";
        assertEquals("\r" + drawn + "\r" + pull + " ".repeat(drawn.length() - pull.length()) + "\r" + " ".repeat(pull.length()) + "\r",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDisabledProgressBarWritesNothing() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8), false);
        bar.update("push", 1, 2);
        bar.clear();
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void durationsAndPlurals() {
        assertEquals("42s", Durations.human(Duration.ofSeconds(42)));
        assertEquals("5m", Durations.human(Duration.ofMinutes(5)));
        assertEquals("5m 3s", Durations.human(Duration.ofSeconds(303)));
        assertEquals("2h 10m", Durations.human(Duration.ofMinutes(130)));
        assertEquals("3d 4h", Durations.human(Duration.ofHours(76)));
        assertEquals("0s", Durations.human(Duration.ofSeconds(-5)));
        assertEquals("1 batch", Durations.plural(1, "batch", "batches"));
        assertEquals("0 batches", Durations.plural(0, "batch", "batches"));
    }

    @Test
    void keyValuesAlignOnTheDocumentedColumn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(out, true, StandardCharsets.UTF_8);
        KeyValues.line(p, "Server URL", "https://x");
        KeyValues.detail(p, "more");
        KeyValues.line(p, "A label longer than the column", "v");
        assertEquals("Server URL    https://x\n              more\nA label longer than the column v\n", out.toString(StandardCharsets.UTF_8));
    }
}
