package dev.speckitty.protocol.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.testing.PythonFixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Lamport clock semantics, the clock.json layout, and recovery from a missing or damaged file. */
class LamportClockTest {
    private static final Clock TIME = Clock.fixed(Instant.parse("2026-11-24T22:59:29.746752Z"), ZoneOffset.UTC);

    @TempDir
    Path home;

    private LamportClock clock(long floor) {
        return new LamportClock(home.resolve("clock.json"), home.resolve("clock.lock"), () -> "b805cd5cee74", TIME, () -> floor);
    }

    private LamportClock clock() {
        return clock(0);
    }

    /** A reserving clock (the daemon's) on the same files, reserving {@code block} values per write. */
    private LamportClock reserving(int block) {
        return LamportClock.reserving(home.resolve("clock.json"), home.resolve("clock.lock"), () -> "b805cd5cee74", TIME, () -> 0L, block);
    }

    private long fileValue() throws IOException {
        return Json.tree(Files.readString(home.resolve("clock.json"))).get("value").asLong();
    }

    @Test
    void aReservingClockWritesOneBlockAheadAndHandsOutFromMemory() throws IOException {
        LamportClock daemon = reserving(100);
        assertEquals(1, daemon.tick());
        assertEquals(101, fileValue(), "the file holds the reservation: the value plus the block");
        Object inode = Files.readAttributes(home.resolve("clock.json"), java.nio.file.attribute.BasicFileAttributes.class).fileKey();
        for (long v = 2; v <= 101; v++) {
            assertEquals(v, daemon.tick());
        }
        assertEquals(inode, Files.readAttributes(home.resolve("clock.json"), java.nio.file.attribute.BasicFileAttributes.class).fileKey(),
                "100 values handed out without a write");
        assertEquals(101, daemon.read().value());
        assertEquals(102, daemon.tick(), "past the block: the next block");
        assertEquals(202, fileValue());
        assertEquals(103, daemon.tick(3));
        assertEquals(105, daemon.read().value());
        // The layout is the Python tool's, with the reservation as its value.
        assertEquals("{\n  \"value\": 202,\n  \"node_id\": \"b805cd5cee74\",\n  \"updated_at\": \"2026-11-24T22:59:29.746752+00:00\"\n}",
                Files.readString(home.resolve("clock.json")));
    }

    @Test
    void anotherProcessTickingWhileTheBlockIsHeldStartsAboveItAndTheDaemonThenAboveThat() throws IOException {
        LamportClock daemon = reserving(100);
        assertEquals(1, daemon.tick());
        assertEquals(2, daemon.tick());
        long cli = clock().tick(); // the CLI in-process (or the Python tool): read-modify-write of the file
        assertEquals(102, cli, "above the whole block the daemon holds");
        long next = daemon.tick();
        assertTrue(next > cli, "the daemon notices the file changed and moves above it: " + next);
        assertEquals(103, next);
        assertEquals(203, fileValue());
        assertEquals(103, daemon.read().value());
    }

    @Test
    void aReservingClockAbandonedLikeAfterKill9RestartsAboveEveryValueItHandedOut() {
        LamportClock first = reserving(4096);
        long last = 0;
        for (int i = 0; i < 5000; i++) {
            last = first.tick();
        }
        assertEquals(5000, last);
        // No stop, no write-back: a new process starts from the file, above the block.
        LamportClock restarted = reserving(4096);
        assertTrue(restarted.tick() > last);
        assertTrue(clock().tick() > last);
    }

    @Test
    void aReservingClockMergesRemoteValuesInsideTheBlockAndTakesANewBlockAboveIt() throws IOException {
        LamportClock daemon = reserving(100);
        daemon.tick(); // 1, file 101
        assertEquals(51, daemon.receive(50));
        assertEquals(101, fileValue(), "inside the block: no write");
        assertEquals(52, daemon.receiveAll(new long[] {3, 4}) - 1, "max(51,3)+1=52, max(52,4)+1=53");
        assertEquals(501, daemon.receive(500), "above the block");
        assertEquals(601, fileValue(), "a new block above the merged value");
        assertEquals(502, daemon.tick());
        assertEquals(602, clock().tick(), "a plain tick starts above the new block");
        assertEquals(603, daemon.receiveAll(new long[] {1}), "the file moved: merged from above it");
        long ceiling = EventLimits.MAX_LAMPORT_CLOCK;
        assertEquals(daemon.read().value(), daemon.receive(ceiling), "a value at the ceiling is still not adopted");
    }

    @Test
    void aReservingClockNeverReservesPastTheCeiling() throws IOException {
        long max = EventLimits.MAX_LAMPORT_CLOCK;
        writeClockFile("{\"value\": " + (max - 10) + ", \"node_id\": \"n\", \"updated_at\": \"\"}");
        LamportClock daemon = reserving(4096);
        assertEquals(max - 9, daemon.tick());
        assertEquals(max, fileValue(), "the block is cut at the ceiling");
        assertEquals(max - 8, daemon.tick(8));
        assertEquals(max, daemon.tick(), "the ceiling itself is a value the server accepts");
        assertThrows(ClockCeilingException.class, daemon::tick);
        assertEquals(max, fileValue());
    }

    @Test
    void threadsSharingAReservingClockAndAPlainOneNeverShareAValue() throws Exception {
        LamportClock daemon = reserving(64);
        LamportClock plain = clock();
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                LamportClock c = t == 0 ? plain : daemon;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 500; i++) {
                        long v = c.tick();
                        assertTrue(seen.add(v), "value " + v + " handed out twice");
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2000, seen.size());
    }

    private void writeClockFile(String text) throws IOException {
        Files.writeString(home.resolve("clock.json"), text);
    }

    @Test
    void missingFileStartsAtZeroWithANodeId() {
        ClockState state = clock().read();
        assertEquals(0, state.value());
        assertEquals("b805cd5cee74", state.nodeId());
        assertFalse(Files.exists(home.resolve("clock.json")), "read() must not write");
        assertEquals(1, clock().tick());
    }

    @Test
    void missingDirectoryIsCreated() {
        LamportClock c = new LamportClock(home.resolve("a/b/clock.json"), home.resolve("a/b/clock.lock"), () -> "n1", TIME, () -> 0L);
        assertEquals(1, c.tick());
        assertTrue(Files.exists(home.resolve("a/b/clock.json")));
    }

    @Test
    void tickAddsOneAndPersists() {
        LamportClock c = clock();
        assertEquals(1, c.tick());
        assertEquals(2, c.tick());
        assertEquals(3, clock().tick(), "a second instance continues from the file");
        assertEquals(3, clock().read().value());
    }

    @Test
    void tickNReservesAConsecutiveRangeAndReturnsItsFirstValue() {
        LamportClock c = clock();
        c.tick();
        assertEquals(2, c.tick(5)); // reserves 2..6
        assertEquals(6, c.read().value());
        assertEquals(7, c.tick(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.tick(0));
        assertEquals("n: 0 (expected: >= 1)", e.getMessage());
        assertEquals(7, c.read().value());
    }

    @Test
    void receiveIsMaxPlusOne() {
        LamportClock c = clock();
        c.tick(10);
        assertEquals(11, c.receive(3), "a smaller remote value still advances by one");
        assertEquals(101, c.receive(100));
        assertEquals(102, c.receive(101));
        assertEquals(103, c.tick());
    }

    @Test
    void receiveAllMergesInOrderUnderOneLock() {
        LamportClock c = clock();
        c.tick(5);
        // max(5,2)+1=6, max(6,40)+1=41, max(41,7)+1=42
        assertEquals(42, c.receiveAll(new long[] {2, 40, 7}));
        assertEquals(42, c.read().value());
        assertEquals(42, c.receiveAll(new long[0]));
    }

    @Test
    void aLocalStepPastTheCeilingFailsAndLeavesTheFileAsItWas() throws IOException {
        long max = EventLimits.MAX_LAMPORT_CLOCK;
        writeClockFile("{\"value\": " + (max - 2) + ", \"node_id\": \"b805cd5cee74\"}");
        LamportClock c = clock(7);
        assertThrows(ClockCeilingException.class, () -> c.tick(3), "three more would pass the ceiling");
        assertEquals(max - 1, c.tick());
        assertEquals(max, c.tick(), "the ceiling itself is a value the server accepts");
        ClockCeilingException e = assertThrows(ClockCeilingException.class, c::tick);
        assertTrue(e.getMessage().startsWith("the Lamport clock in " + home.resolve("clock.json") + " is at " + max
                + ": 1 more event(s) would pass " + max + " (expected: lamport_clock at most " + max), e.getMessage());
        assertEquals(max, c.read().value(), "the file is unchanged");
        assertEquals(max, c.receive(3), "receiving never fails: at the ceiling it leaves the value");
        assertEquals(max, c.receiveAll(new long[] {1, max - 1}));
    }

    @Test
    void aRemoteValueAtOrPastTheCeilingIsNotAdopted() throws IOException {
        long max = EventLimits.MAX_LAMPORT_CLOCK;
        LamportClock c = clock();
        c.tick(10);
        assertEquals(10, c.receive(max), "at the ceiling: our next value could not be sent");
        assertEquals(10, c.receive(Long.MAX_VALUE));
        assertEquals(10, c.receive(-1));
        assertEquals(max, c.receive(max - 1), "just below it: adopted, the next value is the ceiling");
        writeClockFile("{\"value\": 5, \"node_id\": \"b805cd5cee74\"}");
        // max(5,7)+1 = 8, then 2^53-1 skipped, then max(8,20)+1 = 21
        assertEquals(21, c.receiveAll(new long[] {7, (1L << 53) - 1, 20}));
        assertTrue(LamportClock.adoptable(max - 1));
        assertFalse(LamportClock.adoptable(max));
    }

    @Test
    void aClockPastTheCeilingIsRepairedToTheFloorAndAnInRangeOneIsLeftAlone() throws IOException {
        long max = EventLimits.MAX_LAMPORT_CLOCK;
        LamportClock c = clock();
        c.tick(40);
        assertTrue(c.repairOutOfRange(() -> 7).isEmpty(), "in range: nothing to repair");
        assertEquals(40, c.read().value());
        long poisoned = (1L << 53) + 2;
        writeClockFile("{\"value\": " + poisoned + ", \"node_id\": \"b805cd5cee74\"}");
        assertEquals(poisoned, c.repairOutOfRange(() -> 5003).getAsLong());
        assertEquals(5003, c.read().value());
        assertEquals("b805cd5cee74", c.read().nodeId(), "the node id is kept");
        assertEquals(5004, c.tick());
        writeClockFile("{\"value\": " + Long.MAX_VALUE + ", \"node_id\": \"b805cd5cee74\"}");
        assertEquals(Long.MAX_VALUE, c.repairOutOfRange(() -> Long.MAX_VALUE).getAsLong());
        assertEquals(max, c.read().value(), "the floor itself is clamped to the ceiling");
    }

    @Test
    void writesTheLayoutOfThePythonTool() throws IOException {
        clock().receive(40);
        String expected = "{\n"
                + "  \"value\": 41,\n"
                + "  \"node_id\": \"b805cd5cee74\",\n"
                + "  \"updated_at\": \"2026-11-24T22:59:29.746752+00:00\"\n"
                + "}";
        assertEquals(expected, Files.readString(home.resolve("clock.json")));
    }

    @Test
    void keepsTheNodeIdOfAnExistingFile() throws IOException {
        writeClockFile("{\"value\": 7, \"node_id\": \"0123456789ab\", \"updated_at\": \"2026-01-01T00:00:00+00:00\"}");
        assertEquals(8, clock().tick());
        JsonNode json = Json.tree(Files.readString(home.resolve("clock.json")));
        assertEquals("0123456789ab", json.get("node_id").asText());
        assertEquals("2026-11-24T22:59:29.746752+00:00", json.get("updated_at").asText());
    }

    @Test
    void fileWithoutNodeIdKeepsItsValue() throws IOException {
        writeClockFile("{\"value\": 41}");
        ClockState state = clock(5).read();
        assertEquals(41, state.value());
        assertEquals("b805cd5cee74", state.nodeId());
        assertEquals(42, clock(5).tick());
    }

    static Stream<String> damaged() {
        return Stream.of(
                "",
                "{\n  \"value\": 4",
                "\u0000\u0000\u0000\u0000",
                "not json at all",
                "[41]",
                "null",
                "{\"value\": -5, \"node_id\": \"b805cd5cee74\"}",
                "{\"value\": \"41\", \"node_id\": \"b805cd5cee74\"}",
                "{\"value\": 4.5, \"node_id\": \"b805cd5cee74\"}",
                "{\"value\": 99999999999999999999999, \"node_id\": \"b805cd5cee74\"}",
                "{\"node_id\": \"b805cd5cee74\"}");
    }

    @ParameterizedTest
    @MethodSource("damaged")
    void damagedFileRestartsFromTheFloorAndKeepsCounting(String content) throws IOException {
        writeClockFile(content);
        LamportClock c = clock(500);
        assertEquals(500, c.read().value());
        assertEquals(501, c.tick());
        assertEquals(502, c.tick());
        assertEquals(502, Json.tree(Files.readString(home.resolve("clock.json"))).get("value").asLong(), "the file is healed");
    }

    @Test
    void binaryGarbageThatIsNotUtf8Recovers() throws IOException {
        Files.write(home.resolve("clock.json"), new byte[] {(byte) 0xff, (byte) 0xfe, '{', (byte) 0xc3});
        assertEquals(501, clock(500).tick());
    }

    @Test
    void damagedFileWithoutFloorRestartsAtZero() throws IOException {
        writeClockFile("{\"value\": ");
        assertEquals(1, clock().tick());
    }

    @Test
    void negativeFloorIsIgnored() throws IOException {
        writeClockFile("garbage");
        assertEquals(1, clock(-10).tick());
    }

    @Test
    void deletedFileRestartsAboveTheFloor() throws IOException {
        LamportClock c = clock(300);
        assertEquals(301, c.tick());
        Files.delete(home.resolve("clock.json"));
        assertEquals(302, clock(301).tick());
    }

    @Test
    void healthyFileNeverAsksForTheFloor() throws IOException {
        writeClockFile("{\"value\": 3, \"node_id\": \"b805cd5cee74\", \"updated_at\": \"x\"}");
        AtomicInteger asked = new AtomicInteger();
        LamportClock c = new LamportClock(home.resolve("clock.json"), home.resolve("clock.lock"), () -> "n", TIME,
                () -> {
                    asked.incrementAndGet();
                    return 0L;
                });
        assertEquals(4, c.tick());
        assertEquals(5, c.tick());
        assertEquals(0, asked.get());
    }

    @Test
    void threadsOfOneProcessNeverShareAValue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> new Thread(r, "clock-test"));
        Set<Long> seen = ConcurrentHashMap.newKeySet();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                LamportClock own = clock(); // separate instances, one file: the lock is what protects it
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        assertTrue(seen.add(own.tick()));
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(400, seen.size());
        assertEquals(400, clock().read().value());
    }

    @Test
    void readsTheClockThePythonToolWrote() throws IOException {
        PythonFixtures.copyInto(home, "clock.json");
        ClockState state = LamportClock.of(SpecKittyHome.at(home)).read();
        assertEquals(41, state.value());
        assertEquals("b805cd5cee74", state.nodeId());
        assertEquals("2026-11-24T22:59:29.746752+00:00", state.updatedAt());
        assertEquals(42, LamportClock.of(SpecKittyHome.at(home)).tick());
    }

    @Test
    void writesTheSameBytesAsThePythonFixtureForTheSameState() throws IOException {
        PythonFixtures.copyInto(home, "clock.json");
        // Put the file back to value 40, then let our clock make the 41st tick at the fixture's time.
        writeClockFile(PythonFixtures.text("clock.json").replace("\"value\": 41", "\"value\": 40"));
        assertEquals(41, clock().tick());
        assertEquals(PythonFixtures.text("clock.json"), Files.readString(home.resolve("clock.json")));
    }
}
