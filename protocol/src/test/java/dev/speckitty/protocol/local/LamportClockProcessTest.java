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
    /** Ticks per process when one holds blocks: the plain ones still fsync each. */
    private static final int MIXED_TICKS = 500;

    @Test
    // A separate thread: a child that never says "ready" blocks readLine(), which an interrupt cannot end.
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void concurrentProcessesNeverShareAValueNorLoseATick(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        List<Path> outputs = tick(dir, home, new int[PROCESSES], TICKS);
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

    /**
     * A daemon-like JVM holding blocks of 64 ({@link LamportClock#reserving}) and two CLI-like JVMs
     * ticking the file at the same time: no value is handed out twice, each process's values increase,
     * and the file ends at or above every value handed out, so a later tick repeats none.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aReservingProcessAndPlainProcessesNeverShareAValue(@TempDir Path dir) throws Exception {
        Path home = dir.resolve("home");
        List<Path> outputs = tick(dir, home, new int[] {64, 0, 0}, MIXED_TICKS);
        Set<Long> union = new HashSet<>();
        long max = 0;
        for (Path out : outputs) {
            List<Long> values = Files.readAllLines(out).stream().map(Long::parseLong).toList();
            assertEquals(MIXED_TICKS, values.size());
            for (int i = 0; i < values.size(); i++) {
                assertTrue(union.add(values.get(i)), "value " + values.get(i) + " was handed out twice");
                assertTrue(i == 0 || values.get(i) > values.get(i - 1), "one process saw its clock go back");
                max = Math.max(max, values.get(i));
            }
        }
        assertEquals((long) PROCESSES * MIXED_TICKS, union.size());
        assertTrue(LamportClock.of(SpecKittyHome.at(home)).read().value() >= max, "the file is below a value handed out");
        assertTrue(LamportClock.of(SpecKittyHome.at(home)).tick() > max, "a later tick repeats a value");
    }

    /** Runs one ticker JVM per entry of {@code blocks} (0: a plain clock) at once; answers their value files. */
    private static List<Path> tick(Path dir, Path home, int[] blocks, int ticks) throws Exception {
        List<Process> processes = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        try {
            for (int p = 0; p < blocks.length; p++) {
                Path out = dir.resolve("values-" + p + ".txt");
                outputs.add(out);
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"),
                        ClockTicker.class.getName(), home.toString(), Integer.toString(ticks), out.toString()));
                if (blocks[p] > 0) {
                    command.add(Integer.toString(blocks[p]));
                }
                processes.add(new ProcessBuilder(command).redirectError(dir.resolve("stderr-" + p + ".txt").toFile()).start());
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
            for (int p = 0; p < processes.size(); p++) {
                assertTrue(processes.get(p).waitFor(100, TimeUnit.SECONDS), "ticker " + p + " did not finish");
                assertEquals(0, processes.get(p).exitValue(), "ticker " + p + " failed: " + Files.readString(dir.resolve("stderr-" + p + ".txt")));
            }
        } finally {
            processes.forEach(Process::destroyForcibly);
        }
        return outputs;
    }
}
