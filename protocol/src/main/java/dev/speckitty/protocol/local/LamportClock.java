package dev.speckitty.protocol.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.speckitty.protocol.event.EventLimits;
import dev.speckitty.protocol.json.Json;
import dev.speckitty.protocol.json.JsonException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The Lamport clock persisted in {@code clock.json}. Every change is read-modify-write under
 * {@code clock.lock}, so processes sharing a home never hand out the same value. A missing or
 * damaged file restarts from {@code recoveryFloor} (the highest clock seen in the queue and inbox;
 * 0 in a fresh home) so the clock never goes backwards.
 *
 * <p>The clock stays within what the server accepts ({@link EventLimits#MAX_LAMPORT_CLOCK}): a remote
 * value is adopted only when it is below the ceiling (so the next local value can still be sent), and
 * a local step past the ceiling fails with {@link ClockCeilingException} instead of stamping an event
 * the server would refuse. Thread-safe: a plain clock keeps no state besides the file; a reserving one
 * (below) keeps its block under its own monitor, always taken before the file lock.
 *
 * <p><b>Reserving mode</b> ({@link #reserving}, the daemon's clock): instead of a read-modify-write and
 * an fsync per step, the clock writes a <em>reservation</em> to {@code clock.json} under the lock, the
 * value it needs plus {@code block} (4,096 in the daemon), and hands values out from memory until the
 * block is used up; then it reserves the next block. Every other process that ticks (the CLI in-process,
 * the Python tool) reads the file and so starts above the whole block: no value is handed out twice, and
 * after {@code kill -9} the file still holds the reservation, so the restarted clock starts above every
 * value handed out (values of the block that were never used are a gap, which Lamport order does not
 * mind). The file is never written back to the value actually used, not even on a clean stop: the gap
 * (at most one block per daemon start; the ceiling is 10<sup>15</sup>) is harmless, and a write-back
 * would make {@code clock.json} go down, a race with a tool that reads it without the lock. Before
 * handing out from memory the clock compares the file's {@code stat} (inode, mtime, size) with its own
 * last write; when another process has written since, it re-reads the file under the lock and moves
 * above it, so local values still increase in real time across processes. A merged remote value
 * above the block takes a new block above it. The on-disk format is unchanged.
 */
public final class LamportClock {
    /** The block the daemon reserves ahead ({@link #reserving}). */
    public static final int DAEMON_BLOCK = 4096;

    private final Path file;
    private final Path lock;
    private final Supplier<String> newNodeId;
    private final Clock time;
    private final LongSupplier recoveryFloor;
    /** Values reserved ahead per write in reserving mode; 0: every step goes through the file. */
    private final int block;
    // Reserving mode only, guarded by this: the last value handed out or merged, the value written to
    // the file (the top of the block, -1 while nothing is reserved), the file's stat after that write,
    // and the node id and updated_at of the file then.
    private long handed = -1;
    private long reserved = -1;
    private FileStamp stamp;
    private String nodeId;
    private String updatedAt = "";

    public LamportClock(Path file, Path lock, Supplier<String> newNodeId, Clock time, LongSupplier recoveryFloor) {
        this(file, lock, newNodeId, time, recoveryFloor, 0);
    }

    private LamportClock(Path file, Path lock, Supplier<String> newNodeId, Clock time, LongSupplier recoveryFloor, int block) {
        if (block < 0) {
            throw new IllegalArgumentException("block: " + block + " (expected: >= 0)");
        }
        this.file = file;
        this.lock = lock;
        this.newNodeId = newNodeId;
        this.time = time;
        this.recoveryFloor = recoveryFloor;
        this.block = block;
    }

    /** A clock in reserving mode: {@code block} values are reserved in the file per write and handed out from memory. */
    public static LamportClock reserving(Path file, Path lock, Supplier<String> newNodeId, Clock time, LongSupplier recoveryFloor,
            int block) {
        if (block < 1) {
            throw new IllegalArgumentException("block: " + block + " (expected: >= 1)");
        }
        return new LamportClock(file, lock, newNodeId, time, recoveryFloor, block);
    }

    /** The daemon's clock of a home: reserving {@link #DAEMON_BLOCK} values ahead. */
    public static LamportClock reserving(SpecKittyHome home, LongSupplier recoveryFloor) {
        return reserving(home.clock(), home.clockLock(), NodeId::random, Clock.systemUTC(), recoveryFloor, DAEMON_BLOCK);
    }

    /** The clock of a home, with no recovery floor; a home without {@code clock.json} gets a random node id. */
    public static LamportClock of(SpecKittyHome home) {
        return of(home, () -> 0L);
    }

    /** The clock of a home, recovering from a damaged file to at least {@code recoveryFloor}. */
    public static LamportClock of(SpecKittyHome home, LongSupplier recoveryFloor) {
        return new LamportClock(home.clock(), home.clockLock(), NodeId::random, Clock.systemUTC(), recoveryFloor);
    }

    /**
     * The current state, without changing it. In reserving mode the value is the last one handed out or
     * merged (not the reservation), or the file's when another process has stepped past the block.
     */
    public ClockState read() {
        if (block == 0) {
            return InterProcessLock.withLock(lock, this::load);
        }
        synchronized (this) {
            if (reserved >= 0 && unchanged()) {
                return new ClockState(handed, nodeId, updatedAt);
            }
            ClockState state = InterProcessLock.withLock(lock, this::load);
            if (reserved < 0) {
                return state;
            }
            long value = state.value() == reserved ? handed : Math.max(handed, state.value());
            return new ClockState(value, state.nodeId(), state.updatedAt());
        }
    }

    /**
     * This home's node id, writing {@code clock.json} first when it has none yet (a fresh home, a deleted
     * or damaged file, or one without {@code node_id}): the id is random, so it must be on disk before
     * any event or comparison uses it, or two calls would answer two ids.
     */
    public String nodeId() {
        if (block == 0) {
            return fileNodeId();
        }
        synchronized (this) {
            if (nodeId == null || !unchanged()) {
                nodeId = fileNodeId();
            }
            return nodeId;
        }
    }

    private String fileNodeId() {
        return InterProcessLock.withLock(lock, () -> {
            Loaded loaded = loadFile();
            if (loaded.nodeIdDrawn()) {
                store(loaded.state());
            }
            return loaded.state().nodeId();
        });
    }

    /** Advances the clock by one for a local event and returns the new value. */
    public long tick() {
        return tick(1);
    }

    /** Reserves {@code n} consecutive values for a bulk enqueue and returns the first. */
    public long tick(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("n: " + n + " (expected: >= 1)");
        }
        if (block > 0) {
            synchronized (this) {
                if (reserved >= 0 && handed <= reserved - n && unchanged()) {
                    handed += n;
                    return handed - n + 1;
                }
            }
        }
        return update(current -> advance(current, n)) - n + 1;
    }

    /**
     * Whether a remote value may be merged: only below the ceiling, so that {@code max(local, remote) + 1}
     * is still a value the server accepts. A value at or past it (a buggy or hostile peer's) would stop
     * every later local event; such an event is kept but does not move the clock.
     */
    public static boolean adoptable(long remote) {
        return remote >= 0 && remote < EventLimits.MAX_LAMPORT_CLOCK;
    }

    /**
     * Merges a remote clock value: {@code max(local, remote) + 1}; returns the new value. A value that
     * is not {@link #adoptable} changes nothing (the current value is returned).
     */
    public long receive(long remote) {
        if (!adoptable(remote)) {
            return read().value();
        }
        if (block > 0) {
            synchronized (this) {
                if (reserved >= 0 && unchanged()) {
                    long merged = merge(handed, remote);
                    if (merged <= reserved) {
                        handed = merged;
                        return merged;
                    }
                }
            }
        }
        return update(current -> merge(current, remote));
    }

    /** Merges many remote values in order under one lock (a pulled page), skipping those that are not {@link #adoptable}; returns the final value. */
    public long receiveAll(long[] remotes) {
        if (block > 0) {
            synchronized (this) {
                if (reserved >= 0 && unchanged()) {
                    long merged = mergeAll(handed, remotes);
                    if (merged <= reserved) {
                        handed = merged;
                        return merged;
                    }
                }
            }
        }
        return update(current -> mergeAll(current, remotes));
    }

    private long mergeAll(long current, long[] remotes) {
        long v = current;
        for (long r : remotes) {
            if (adoptable(r)) {
                v = merge(v, r);
            }
        }
        return v;
    }

    /**
     * Repairs a clock past the ceiling, which only an older version (that adopted any remote value) can
     * have left: the value becomes {@code floor} (the highest in-range value the home holds; clamped to
     * the ceiling), so the next events are sent again. Answers the value it had, or empty when the
     * clock was in range and nothing changed.
     */
    public OptionalLong repairOutOfRange(LongSupplier floor) {
        return InterProcessLock.withLock(lock, () -> {
            ClockState state = load();
            if (state.value() <= EventLimits.MAX_LAMPORT_CLOCK) {
                return OptionalLong.empty();
            }
            long repaired = Math.min(EventLimits.MAX_LAMPORT_CLOCK, Math.max(0, floor.getAsLong()));
            synchronized (this) {
                store(new ClockState(repaired, state.nodeId(), Timestamps.format(time.instant())));
                forget();
            }
            return OptionalLong.of(state.value());
        });
    }

    /** A remote value seen: {@code max(local, remote) + 1}, or {@code local} itself when it is already past the ceiling. */
    private long merge(long local, long remote) {
        long merged = Math.max(local, remote);
        // The remote value is below the ceiling, so merged + 1 is in range unless the local value
        // itself is at the ceiling; receiving must not fail then (only a local event may).
        return merged >= EventLimits.MAX_LAMPORT_CLOCK ? merged : merged + 1;
    }

    /** {@code value + n} for local events, refusing to pass the ceiling (and so never wrapping). */
    private long advance(long value, long n) {
        if (value > EventLimits.MAX_LAMPORT_CLOCK - n) {
            throw new ClockCeilingException(file, value, n);
        }
        return value + n;
    }

    private long update(java.util.function.LongUnaryOperator step) {
        if (block > 0) {
            synchronized (this) {
                return reserve(step);
            }
        }
        return InterProcessLock.withLock(lock, () -> {
            ClockState state = load();
            long next = step.applyAsLong(state.value());
            store(new ClockState(next, state.nodeId(), Timestamps.format(time.instant())));
            return next;
        });
    }

    /**
     * Reserving mode, the block used up or the file changed by someone else: {@code step} from the
     * higher of the file and what this clock handed out, and a new block above the result written.
     * Holds this object's monitor (always taken before the file lock).
     */
    private long reserve(java.util.function.LongUnaryOperator step) {
        return InterProcessLock.withLock(lock, () -> {
            ClockState state = load();
            long next = step.applyAsLong(Math.max(state.value(), handed));
            // Not past the ceiling: a value the server refuses is never handed out anyway (advance()).
            long top = Math.max(next, Math.min(EventLimits.MAX_LAMPORT_CLOCK, next + block));
            String at = Timestamps.format(time.instant());
            store(new ClockState(top, state.nodeId(), at));
            handed = next;
            reserved = top;
            nodeId = state.nodeId();
            updatedAt = at;
            stamp = FileStamp.of(file);
            return next;
        });
    }

    /** Reserving mode: drops the reservation (the file was rewritten here), so the next step reads the file. */
    private void forget() {
        reserved = -1;
        handed = -1;
        stamp = null;
        nodeId = null;
    }

    /** Whether {@code clock.json} is still the file this clock last wrote (same inode, mtime and size). */
    private boolean unchanged() {
        return stamp != null && !stamp.missing() && stamp.equals(FileStamp.of(file, stamp));
    }

    private ClockState load() {
        return loadFile().state();
    }

    /** A state read from the file, and whether its node id was drawn just now (the file has none yet). */
    private record Loaded(ClockState state, boolean nodeIdDrawn) {
    }

    private Loaded loadFile() {
        byte[] bytes; // not a String: bytes that are not UTF-8 are damage to recover from, not an I/O error
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Loaded(recovered(), true); // a fresh home starts at 0; a home whose clock file was deleted, above its queue
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        JsonNode json;
        try {
            json = Json.tree(bytes);
        } catch (JsonException e) {
            return new Loaded(recovered(), true);
        }
        JsonNode value = json == null ? null : json.get("value");
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            return new Loaded(recovered(), true);
        }
        // Like the Python tool, a file that lost only its node id keeps its value: resetting the value
        // would hand out clock values that were already used.
        JsonNode node = json.get("node_id");
        boolean kept = node != null && node.isTextual() && !node.asText().isBlank();
        String nodeId = kept ? node.asText() : newNodeId.get();
        JsonNode updated = json.get("updated_at");
        return new Loaded(new ClockState(value.asLong(), nodeId, updated != null && updated.isTextual() ? updated.asText() : ""), !kept);
    }

    /**
     * The state after a missing or damaged file (truncated, garbage, negative or missing value): restart above
     * everything this home has seen, never below. The floor is asked for only here because computing
     * it may scan the queue.
     */
    private ClockState recovered() {
        return new ClockState(Math.max(0, recoveryFloor.getAsLong()), newNodeId.get(), Timestamps.format(time.instant()));
    }

    private void store(ClockState state) {
        String text = "{\n"
                + "  \"value\": " + state.value() + ",\n"
                + "  \"node_id\": " + Json.write(state.nodeId()) + ",\n"
                + "  \"updated_at\": " + Json.write(state.updatedAt()) + "\n"
                + "}";
        try {
            AtomicFile.write(file, text, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
