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
 * the server would refuse. Thread-safe: no state besides the file.
 */
public final class LamportClock {
    private final Path file;
    private final Path lock;
    private final Supplier<String> newNodeId;
    private final Clock time;
    private final LongSupplier recoveryFloor;

    public LamportClock(Path file, Path lock, Supplier<String> newNodeId, Clock time, LongSupplier recoveryFloor) {
        this.file = file;
        this.lock = lock;
        this.newNodeId = newNodeId;
        this.time = time;
        this.recoveryFloor = recoveryFloor;
    }

    /** The clock of a home, with no recovery floor; a home without {@code clock.json} gets a random node id. */
    public static LamportClock of(SpecKittyHome home) {
        return of(home, () -> 0L);
    }

    /** The clock of a home, recovering from a damaged file to at least {@code recoveryFloor}. */
    public static LamportClock of(SpecKittyHome home, LongSupplier recoveryFloor) {
        return new LamportClock(home.clock(), home.clockLock(), NodeId::random, Clock.systemUTC(), recoveryFloor);
    }

    /** The current state, without changing it. */
    public ClockState read() {
        return InterProcessLock.withLock(lock, this::load);
    }

    /**
     * This home's node id, writing {@code clock.json} first when it has none yet (a fresh home, a deleted
     * or damaged file, or one without {@code node_id}): the id is random, so it must be on disk before
     * any event or comparison uses it, or two calls would answer two ids.
     */
    public String nodeId() {
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
        return update(current -> merge(current, remote));
    }

    /** Merges many remote values in order under one lock (a pulled page), skipping those that are not {@link #adoptable}; returns the final value. */
    public long receiveAll(long[] remotes) {
        return update(current -> {
            long v = current;
            for (long r : remotes) {
                if (adoptable(r)) {
                    v = merge(v, r);
                }
            }
            return v;
        });
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
            store(new ClockState(repaired, state.nodeId(), Timestamps.format(time.instant())));
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
        return InterProcessLock.withLock(lock, () -> {
            ClockState state = load();
            long next = step.applyAsLong(state.value());
            store(new ClockState(next, state.nodeId(), Timestamps.format(time.instant())));
            return next;
        });
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
