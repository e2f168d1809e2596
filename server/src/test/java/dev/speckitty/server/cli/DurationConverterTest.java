package dev.speckitty.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsShortFormsAndIso() {
        assertEquals(Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(Duration.ofMinutes(15), converter.convert("15m"));
        assertEquals(Duration.ofHours(1), converter.convert("1H"));
        assertEquals(Duration.ofDays(7), converter.convert("7d"));
        assertEquals(Duration.ofMinutes(15), converter.convert("PT15M"));
        assertEquals(Duration.ofDays(7), converter.convert("p7d"));
    }

    @Test
    void refusesWhatIsNotADurationSayingBothForms() {
        CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("soon"));
        assertTrue(e.getMessage().contains("90s, 15m, 1h or 7d") && e.getMessage().contains("PT15M"), e.getMessage());
        assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert("15 minutes"));
    }

    @Test
    void formatsTheShortFormBack() {
        assertEquals("15m", DurationConverter.format(Duration.ofMinutes(15)));
        assertEquals("7d", DurationConverter.format(Duration.ofDays(7)));
        assertEquals("2h", DurationConverter.format(Duration.ofHours(2)));
        assertEquals("90s", DurationConverter.format(Duration.ofSeconds(90)));
        assertEquals("PT0.5S", DurationConverter.format(Duration.ofMillis(500)));
    }
}
