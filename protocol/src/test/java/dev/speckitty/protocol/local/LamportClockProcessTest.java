package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real JVMs tick one clock.json at the same time: no value is handed out twice and no tick is
 * lost. Every tick takes the lock and fsyncs, so this is the slowest test of the module (seconds).
 */
class LamportClockProcessTest {
    private static final int PROCESSES = 3;
    private static final int TICKS = 2_000;

    @Test
    // A separate thread: a child that never says "ready" blocks readLine(), which an interrupt cannot end.
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void concurrentProcessesNeverShareAValueNorLoseATick(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < PROCESSES; p++) {
                Path out = dir.resolve("values-" + p + ".txt");
                outputs.add(out);
                Process process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        ClockTicker.class.getName(), home.toString(), Integer.toString(TICKS), out.toString())
                        .redirectError(dir.resolve("stderr-" + p + ".txt").toFile())
                        .start();
                processes.add(process);
            }
            for (Process process : processes) {
                BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("ready", stdout.readLine(), "ticker did not start; see " + dir);
            }
            for (Process process : processes) {
                OutputStream stdin = process.getOutputStream();
                stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            for (int p = 0; p < PROCESSES; p++) {
                assertTrue(processes.get(p).waitFor(100, TimeUnit.SECONDS), "ticker " + p + " did not finish");
                assertEquals(0, processes.get(p).exitValue(), "ticker " + p + " failed: " + Files.readString(dir.resolve("stderr-" + p + ".txt")));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }

        Set<Long> union = new HashSet<>();
        int interleaved = 0;
        for (Path out : outputs) {
            List<Long> values = Files.readAllLines(out).stream().map(Long::parseLong).toList();
            assertEquals(TICKS, values.size());
            for (int i = 0; i < values.size(); i++) {
                assertTrue(union.add(values.get(i)), "value " + values.get(i) + " was handed out twice");
                if (i > 0) {
                    assertTrue(values.get(i) > values.get(i - 1), "one process saw its clock go back");
                    if (values.get(i) != values.get(i - 1) + 1) {
                        interleaved++;
                    }
                }
            }
        }
        long total = (long) PROCESSES * TICKS;
        assertEquals(total, union.size());
        assertEquals(total, LamportClock.of(SpecKittyHome.at(home)).read().value(), "a tick was lost");
        for (long v = 1; v <= total; v++) {
            assertTrue(union.contains(v), "value " + v + " was never handed out");
        }
        // Otherwise the processes ran one after another and the test proved nothing about locking.
        assertTrue(interleaved > 0, "the tickers never interleaved");
    }
}
