package dev.speckitty.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AwaitTest {
    @Test
    void returnsOnceAnotherThreadMakesTheConditionTrue() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        Thread setter = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            done.set(true);
        });
        setter.start();
        Await.until(Duration.ofSeconds(5), "the flag", done::get);
        assertTrue(done.get());
        setter.join();
    }

    @Test
    void aTimeoutNamesWhatWasAwaitedAndForHowLong() {
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(100), "the moon", () -> false));
        assertEquals("timed out after 100 ms waiting for the moon", e.getMessage());
        AssertionError v = assertThrows(AssertionError.class, () -> Await.value(Duration.ofMillis(50), "a value", Optional::empty));
        assertEquals("timed out after 50 ms waiting for a value", v.getMessage());
        assertEquals("1.5 s", Await.human(Duration.ofMillis(1500)));
        assertEquals("60 s", Await.human(Duration.ofMinutes(1)));
    }

    @Test
    void pollsWithASleepInsteadOfSpinning() {
        AtomicInteger probes = new AtomicInteger();
        assertThrows(AssertionError.class, () -> Await.until(Duration.ofMillis(500), "nothing", () -> {
            probes.incrementAndGet();
            return false;
        }));
        // A spin would probe millions of times in 500 ms; naps of up to 20 ms allow about 30.
        assertTrue(probes.get() >= 5 && probes.get() <= 60, "probes in 500 ms: " + probes.get());
    }

    @Test
    void valueAnswersWhatTheProbeFound() {
        AtomicInteger calls = new AtomicInteger();
        String got = Await.value(Duration.ofSeconds(5), "the third call", () -> calls.incrementAndGet() == 3
                ? Optional.of("third") : Optional.empty());
        assertEquals("third", got);
        assertEquals(3, calls.get());
    }

    @Test
    void anInterruptedWaitFailsAndKeepsTheInterrupt() {
        Thread.currentThread().interrupt();
        AssertionError e = assertThrows(AssertionError.class, () -> Await.until(Duration.ofSeconds(5), "nothing", () -> false));
        assertEquals("interrupted while waiting for nothing", e.getMessage());
        assertTrue(Thread.interrupted());
    }
}
